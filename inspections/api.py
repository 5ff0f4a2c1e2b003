"""REST API of inspections and the gate log: list and read them with filters, and record
an inspection with its point results. A record is made once per `client_key` (or
`Idempotency-Key` header): a retried send answers 200 with the first record instead of
making a second one, as the phone's offline queue does on the page. The rules are the
page's: the model's `clean()` and the shared point rules in `workflow.answer_errors`."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from actions.api import company_or_404
from core.api import TenantViewSet, ValidatedModelSerializer
from core.files import ProtectedFileURLField
from core.idempotency import api_key
from inspections.choices import Result
from inspections.filters import GateEntryFilter, InspectionFilter
from inspections.models import (
    GATE_ENTRY_FIELDS,
    GateEntry,
    Inspection,
    InspectionResult,
    checklist_for,
)
from inspections.workflow import PointAnswer, answer_errors, record_inspection


class InspectionResultSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    has_photo = serializers.SerializerMethodField()
    photo_url = ProtectedFileURLField("photo")

    class Meta:
        model = InspectionResult
        fields = [
            "position",
            "key",
            "label_en",
            "label_es",
            "result",
            "note",
            "has_photo",
            "photo_url",
        ]

    def get_has_photo(self, obj: InspectionResult) -> bool:
        return bool(obj.photo)


class InspectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    results = InspectionResultSerializer(many=True, read_only=True)
    complete = serializers.BooleanField(source="is_complete", read_only=True)
    passed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "company",
            "client_key",
            "checklist_key",
            "checklist_name",
            "iit_number",
            "plate",
            "direction",
            "performed_at",
            "inspector",
            "location",
            "location_note",
            "points_open",
            "points_failed",
            "complete",
            "passed",
            "pest_checked",
            "pest_found",
            "pest_description",
            "cleaning",
            "seal_number",
            "vvtt_view",
            "vvtt_verify",
            "vvtt_tug",
            "vvtt_twist",
            "vvtt_done",
            "notes",
            "supervisor",
            "signed_off_at",
            "signed_late",
            "results",
        ]
        read_only_fields = fields


class PointResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(max_length=40, help_text="The point's key in the checklist.")
    result = serializers.ChoiceField(choices=[("", "not checked"), *Result.choices])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class InspectionWriteSerializer(ValidatedModelSerializer):
    """An inspection to record. `checklist` is a built-in key (container, reefer, tractor,
    trailer, truck17) or `custom-<id>` of one of the company's own lists; `results` gives
    one entry per point answered (points left out count as not checked)."""

    checklist = serializers.CharField(max_length=40, write_only=True)
    client_key = serializers.UUIDField(
        required=False,
        help_text="Made by the client once per inspection; a resend with the same key "
        "returns the first record. The Idempotency-Key header may carry it instead.",
    )
    results = PointResultSerializer(many=True, required=False)
    performed_at = serializers.DateTimeField(required=False)

    class Meta:
        model = Inspection
        fields = [
            "company",
            "checklist",
            "client_key",
            "iit_number",
            "plate",
            "direction",
            "performed_at",
            "location",
            "location_note",
            "pest_checked",
            "pest_found",
            "pest_description",
            "cleaning",
            "seal_number",
            "vvtt_view",
            "vvtt_verify",
            "vvtt_tug",
            "vvtt_twist",
            "notes",
            "results",
        ]
        # Set by the recording itself, or checked there (the key's uniqueness is what
        # makes a resend return the first record rather than an error).
        clean_exclude = ["inspector", "checklist_key", "checklist_name", "client_key"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        checklist_key = attrs.pop("checklist")
        results = attrs.pop("results", [])
        attrs.setdefault("performed_at", timezone.now())
        attrs = super().validate(attrs)
        company = attrs["company"]
        location = attrs.get("location")
        if location is not None and location.company_id != company.pk:
            raise serializers.ValidationError(
                {"location": [_("Choose one of the company's own facilities.")]}
            )
        checklist = checklist_for(company, checklist_key)
        if checklist is None:
            raise serializers.ValidationError(
                {"checklist": [_("No checklist “%(key)s” in use.") % {"key": checklist_key}]}
            )
        known = {p.key for p in checklist.points}
        answers: dict[str, PointAnswer] = {}
        errors: dict[str, str] = {}
        for row in results:
            key = row["key"]
            if key not in known:
                errors[key] = _(
                    "“%(key)s” is not a point of this checklist; its points are %(keys)s."
                ) % {
                    "key": key,
                    "keys": ", ".join(p.key for p in checklist.points),
                }
            elif key in answers:
                errors[key] = _("“%(key)s” is given twice.") % {"key": key}
            else:
                answers[key] = PointAnswer(result=row["result"], note=row.get("note", ""))
        errors.update(answer_errors(checklist, answers))
        if errors:
            raise serializers.ValidationError({"results": errors})
        return {**attrs, "checklist": checklist, "answers": answers}


class InspectionPagination(CursorPagination):
    """Newest first, without counting the whole log (200,000 inspections and more)."""

    ordering = ("-performed_at", "-id")
    page_size = 50


class InspectionViewSet(TenantViewSet):
    """Inspections of your companies, newest first. Filter by `company`, `iit_number`,
    `direction`, `status` and `date_from` / `date_to`. `POST` records one inspection."""

    queryset = Inspection.objects.prefetch_related("results")
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    pagination_class = InspectionPagination
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self) -> Any:
        return InspectionWriteSerializer if self.action == "create" else InspectionSerializer

    @extend_schema(
        request=InspectionWriteSerializer,
        responses={201: InspectionSerializer, 200: InspectionSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company = company_or_404(request)
        data = dict(request.data.items()) if hasattr(request.data, "items") else {}
        header_key = api_key(request)
        if header_key is not None and not data.get("client_key"):
            data["client_key"] = str(header_key)
        if data.get("client_key"):
            # A resend of a recorded inspection gets the first record, even if the record
            # would no longer pass validation (a checklist retired since, say).
            first = self._first(company.pk, data["client_key"])
            if first is not None:
                return Response(InspectionSerializer(first).data, status=200)
        serializer = self.get_serializer(data=data)
        serializer.is_valid(raise_exception=True)
        d = dict(serializer.validated_data)
        checklist = d.pop("checklist")
        answers = d.pop("answers")
        d.pop("company")
        client_key = d.pop("client_key", None)
        recorded = record_inspection(
            company,
            checklist,
            client_key=client_key or Inspection._meta.get_field("client_key").get_default(),
            fields=d,
            answers=answers,
            inspector=cast(Any, request.user),
        )
        inspection = Inspection.objects.prefetch_related("results").get(pk=recorded.inspection.pk)
        return Response(
            InspectionSerializer(inspection).data, status=201 if recorded.created else 200
        )

    def _first(self, company_pk: int, raw_key: Any) -> Inspection | None:
        try:
            key = uuid.UUID(str(raw_key))
        except ValueError:  # the serializer names the field
            return None
        return (
            Inspection.objects.prefetch_related("results")
            .filter(company_id=company_pk, client_key=key)
            .first()
        )


class GateEntrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = GateEntry
        fields = ["id", "company", "at", *GATE_ENTRY_FIELDS, "recorded_by", "created_at"]
        read_only_fields = fields


class GateEntryPagination(CursorPagination):
    """Newest first, without counting the log."""

    ordering = ("-at", "-id")
    page_size = 50


class GateEntryViewSet(TenantViewSet):
    """The gate log of your companies, newest first (read only; entries are recorded on
    the gate page, which works offline). Filter by `company`, `q` (driver, plate,
    container or seal), `direction`, `seal_intact` and `date_from` / `date_to`: the gate
    page's filters."""

    queryset = GateEntry.objects.all()
    serializer_class = GateEntrySerializer
    filterset_class = GateEntryFilter
    pagination_class = GateEntryPagination
    http_method_names = ["get", "head", "options"]
