"""REST API of security incidents: list and read them with their notification checklist and
corrective actions, and report one (`POST /incidents/`), which opens the same notification
checklist as the page, and raise a corrective action from its investigation
(`POST /incidents/{id}/actions/`). The anonymous report (MSC 7.25) stays a page only: it needs no
account, and an API open to anyone would be a spam channel into every company's list."""

from __future__ import annotations

from typing import Any, cast

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from actions.api import company_or_404
from actions.models import CorrectiveAction
from core.api import TenantViewSet, ValidatedModelSerializer
from core.files import ProtectedFileURLField
from incidents.filters import IncidentFilter
from incidents.forms import CRITERION_ID
from incidents.models import Incident, Notification
from incidents.workflow import open_incident, raise_action


class NotificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Notification
        fields = ["id", "party", "notified_at", "contact", "note", "notified_by"]
        read_only_fields = fields


class IncidentActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CorrectiveAction
        fields = ["id", "title", "criterion_ref", "owner", "due_date", "status", "completed_at"]
        read_only_fields = fields


READ_ONLY = [
    "id",
    "status",
    "anonymous",
    "reporter",
    "investigation",
    "root_cause",
    "lessons_learned",
    "closed_at",
    "notify_by",
    "notifications",
    "created_at",
]


class IncidentSerializer(ValidatedModelSerializer):
    notify_by = serializers.DateTimeField(
        read_only=True, help_text="Deadline of the notification clock (MSC 7.23)."
    )
    notifications = NotificationSerializer(many=True, read_only=True)
    attachment_url = ProtectedFileURLField("attachment")

    class Meta:
        model = Incident
        fields = [
            "id",
            "company",
            "kind",
            "title",
            "description",
            "occurred_at",
            "location",
            "border_crossing_at",
            "partner_name",
            "shipment_ref",
            "inspection",
            "seal",
            *READ_ONLY[1:],
            "attachment_url",
        ]
        read_only_fields = READ_ONLY

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        company = attrs.get("company")
        for name in ("inspection", "seal"):
            linked = attrs.get(name)
            if linked is not None and company is not None and linked.company_id != company.pk:
                raise serializers.ValidationError(
                    {name: [_("It must belong to the company the incident is reported for.")]}
                )
        return attrs


class IncidentDetailSerializer(IncidentSerializer):
    corrective_actions = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "corrective_actions"]

    @extend_schema_field(IncidentActionSerializer(many=True))
    def get_corrective_actions(self, obj: Incident) -> Any:
        actions = obj.corrective_actions()
        return IncidentActionSerializer(actions, many=True).data


class RaiseActionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A corrective action raised from the incident's investigation (as on the page)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    criterion_ref = serializers.RegexField(
        CRITERION_ID, max_length=10, required=False, allow_blank=True, default=""
    )
    owner = serializers.IntegerField(help_text="A member of the incident's company.")
    due_date = serializers.DateField()


class IncidentViewSet(TenantViewSet):
    """Incidents of your companies, newest first. Filter by `company`, `kind`, `status`,
    `iit_number` and `date_from` / `date_to` (when it happened). `POST` reports one and
    opens its notification checklist; send an `Idempotency-Key` header so a retry does not
    report it twice. The investigation is recorded on the incident's page."""

    queryset = Incident.objects.prefetch_related("notifications")
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {**TenantViewSet.action_permissions, "add_action": "edit"}

    def get_serializer_class(self) -> Any:
        return IncidentDetailSerializer if self.action == "retrieve" else IncidentSerializer

    @extend_schema(request=RaiseActionSerializer, responses={201: IncidentActionSerializer})
    @action(detail=True, methods=["post"], url_path="actions", url_name="actions")
    def add_action(self, request: Request, pk: str | None = None) -> Response:
        """Raise a corrective action from the investigation. A closed incident takes none."""
        incident: Incident = self.get_object()
        payload = RaiseActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = dict(payload.validated_data)
        owner = User.objects.filter(
            pk=d.pop("owner"), memberships__company_id=incident.company_id
        ).first()
        if owner is None:
            raise serializers.ValidationError(
                {"owner": [_("The owner must be a member of the company.")]}
            )
        created = raise_action(incident, by=cast(Any, request.user), owner=owner, **d)
        return Response(IncidentActionSerializer(created).data, status=201)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        user = self.request.user
        # The inspection and seal an incident links to are offered only from the caller's
        # companies; the models come from the foreign keys, so incidents imports neither
        # app (both sit above it: a seal discrepancy opens an incident).
        for name in ("inspection", "seal"):
            if name in fields:
                related = Incident._meta.get_field(name).related_model
                fields[name].queryset = related.objects.for_user(user, "edit")  # type: ignore[union-attr]
        return serializer

    @extend_schema(responses={201: IncidentSerializer, 200: IncidentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company = company_or_404(request)
        # A retry with the same `Idempotency-Key` is answered by TenantViewSet's mixin.
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.pop("company")
        incident = open_incident(company, reporter=cast(Any, request.user), **fields)
        url = reverse("api:incident-detail", args=[incident.pk])
        incident = Incident.objects.prefetch_related("notifications").get(pk=incident.pk)
        return Response(IncidentSerializer(incident).data, status=201, headers={"Location": url})
