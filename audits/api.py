"""REST API of mock audits and their findings. Results are recorded with
`POST /findings/` (audit, criterion, result, notes), the same call for a first result and
a correction; `POST /mock-audits/{id}/complete/` closes the audit and raises the corrective
actions."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from actions.api import CorrectiveActionSerializer, company_or_404
from audits import workflow
from audits.choices import FindingResult
from audits.filters import AuditFilter
from audits.models import Finding, MockAudit
from catalogue.models import Criterion
from core.api import TenantViewSet


class MockAuditSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = MockAudit
        fields = [
            "id",
            "company",
            "profile",
            "title",
            "kind",
            "auditor",
            "status",
            "summary",
            "completed_at",
            "completed_by",
            "created_at",
        ]
        read_only_fields = [
            "profile",
            "auditor",
            "status",
            "completed_at",
            "completed_by",
            "created_at",
        ]


class CompleteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    summary = serializers.CharField(required=False, allow_blank=True)


class MockAuditViewSet(TenantViewSet):
    """Mock audits and self-assessments of your companies."""

    queryset = MockAudit.objects.all()
    serializer_class = MockAuditSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = AuditFilter
    action_permissions = {**TenantViewSet.action_permissions, "complete": "edit"}

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "company" in fields and self.action not in ("create", None):
            fields["company"].read_only = True
        return serializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company_or_404(request)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        audit = MockAudit(**serializer.validated_data)
        serializer.instance = workflow.start_audit(audit, by=cast(Any, self.request.user))

    @extend_schema(request=CompleteSerializer, responses=CorrectiveActionSerializer(many=True))
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        audit: MockAudit = self.get_object()
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = workflow.complete_audit(
            audit, cast(Any, request.user), serializer.validated_data.get("summary", "")
        )
        return Response(CorrectiveActionSerializer(created, many=True).data)


class FindingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    criterion_ref = serializers.CharField(source="criterion.ref_id", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "audit",
            "criterion",
            "criterion_ref",
            "result",
            "notes",
            "checked_by",
            "updated_at",
        ]
        read_only_fields = ["checked_by", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        audit: MockAudit = attrs["audit"]
        criterion: Criterion = attrs["criterion"]
        applicable = audit.profile.catalogue.criteria_for(audit.company.business_type)
        if not applicable.filter(pk=criterion.pk).exists():
            raise serializers.ValidationError(
                {"criterion": [_("This criterion is not part of the audited profile.")]}
            )
        if (
            attrs.get("result") in (FindingResult.FAIL, FindingResult.OBSERVATION)
            and not (attrs.get("notes") or "").strip()
        ):
            raise serializers.ValidationError(
                {"notes": [_("Describe what was found: a failure or an observation needs notes.")]}
            )
        return attrs


class FindingViewSet(TenantViewSet):
    """The auditor's results per criterion. `POST` records (or corrects) one result."""

    queryset = Finding.objects.select_related("criterion")
    serializer_class = FindingSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["audit", "result"]

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "audit" in fields:
            fields["audit"].queryset = MockAudit.objects.for_user(self.request.user, "edit")
        return serializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        finding = workflow.record_result(
            data["audit"],
            data["criterion"],
            result=data.get("result", ""),
            notes=data.get("notes", ""),
            by=cast(Any, request.user),
        )
        return Response(FindingSerializer(finding).data, status=201)
