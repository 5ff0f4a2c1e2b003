"""Seal log API: read the log with filters, and record a VVTT check or the verification at
destination (`POST /seals/{id}/verify/`). Seals are received, issued, affixed and voided
in the portal; there is no create, edit or delete here, and a seal is never deleted."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import TenantViewSet
from seals import workflow
from seals.filters import SealFilter
from seals.models import Seal, SealEvent


class SealEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SealEvent
        fields = [
            "id",
            "kind",
            "at",
            "by",
            "person_name",
            "iit_number",
            "document_number",
            "observed_number",
            "vvtt_view",
            "vvtt_verify",
            "vvtt_tug",
            "vvtt_twist",
            "note",
            "incident",
        ]
        read_only_fields = fields


class SealSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Seal
        fields = [
            "id",
            "company",
            "number",
            "manufacturer",
            "iso_class",
            "certificate_ref",
            "storage_location",
            "status",
            "holder_name",
            "iit_number",
            "void_reason",
            "updated_at",
        ]
        read_only_fields = fields


class SealDetailSerializer(SealSerializer):
    events = SealEventSerializer(many=True, read_only=True)

    class Meta(SealSerializer.Meta):
        fields = [*SealSerializer.Meta.fields, "events"]
        read_only_fields = fields


class VerifySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A VVTT check at a hand-over, or (with `at_destination`) the verification at
    destination. A number that does not match, or a VVTT step not done, records a
    discrepancy and opens an incident."""

    at_destination = serializers.BooleanField(default=False)
    observed_number = serializers.CharField(max_length=40, help_text="Read on the seal.")
    document_number = serializers.CharField(
        max_length=40, help_text="Printed on the shipping documents."
    )
    vvtt_view = serializers.BooleanField(default=False)
    vvtt_verify = serializers.BooleanField(default=False)
    vvtt_tug = serializers.BooleanField(default=False)
    vvtt_twist = serializers.BooleanField(default=False)
    person_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class VerifyResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    seal = SealSerializer()
    event = SealEventSerializer()
    discrepancy = serializers.BooleanField()
    incident = serializers.IntegerField(allow_null=True)


class SealViewSet(TenantViewSet):
    """Seals of your companies. Filter by `company`, `number`, `iit_number`, `status` and
    `date_from` / `date_to` (last change). The detail includes the seal's log."""

    queryset = Seal.objects.all()
    serializer_class = SealSerializer
    filterset_class = SealFilter
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {**TenantViewSet.action_permissions, "verify": "edit"}

    def get_queryset(self) -> Any:
        queryset = super().get_queryset().order_by("company_id", "number")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events")
        return queryset

    def get_serializer_class(self) -> Any:
        return SealDetailSerializer if self.action == "retrieve" else SealSerializer

    @extend_schema(exclude=True)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Seals come into the log by ranges, through the receiving page.
        raise MethodNotAllowed("POST")

    @extend_schema(request=VerifySerializer, responses=VerifyResultSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Record a VVTT check or the verification at destination. Send an
        `Idempotency-Key` header to make a retry return the first answer."""
        seal: Seal = self.get_object()
        payload = VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        # A retry with the same `Idempotency-Key` is answered by TenantViewSet's mixin.
        result = workflow.check(
            seal,
            at_destination=d["at_destination"],
            observed_number=d["observed_number"],
            document_number=d["document_number"],
            vvtt=workflow.Vvtt(d["vvtt_view"], d["vvtt_verify"], d["vvtt_tug"], d["vvtt_twist"]),
            by=cast(Any, request.user),
            person_name=d.get("person_name", ""),
            note=d.get("note", ""),
        )
        return Response(_answer(result.event), status=201)


def _answer(event: SealEvent) -> dict[str, Any]:
    return {
        "seal": SealSerializer(event.seal).data,
        "event": SealEventSerializer(event).data,
        "discrepancy": event.incident_id is not None,
        "incident": event.incident_id,
    }
