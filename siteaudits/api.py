"""REST API of supplier site audits. `POST /site-audits/` plans a visit (the checklist is
frozen then), `PATCH /site-audit-items/{id}/` records what was found for one item,
`POST /site-audits/{id}/complete/` closes the audit, raises the corrective actions and
answers the partner's link once. The same workflow functions as the pages."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from actions.api import CorrectiveActionSerializer, company_or_404
from core.api import TenantViewSet
from core.siteurl import site_url
from partners.models import BusinessPartner
from siteaudits import workflow
from siteaudits.filters import SiteAuditFilter
from siteaudits.models import AuditItem, OwnChecklist, SiteAudit


class SiteAuditSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SiteAudit
        fields = [
            "id",
            "company",
            "partner",
            "planned_on",
            "site",
            "auditor",
            "source",
            "own_checklist",
            "language",
            "catalogue",
            "business_type",
            "tier",
            "status",
            "summary",
            "completed_at",
            "created_at",
        ]
        read_only_fields = [
            "catalogue",
            "business_type",
            "tier",
            "status",
            "summary",
            "completed_at",
            "created_at",
        ]
        extra_kwargs = {"auditor": {"required": False}}


class CompleteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    summary = serializers.CharField(required=False, allow_blank=True)


class CompletedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    actions = CorrectiveActionSerializer(many=True)
    link = serializers.CharField(help_text="The partner's link, given once (empty: no actions).")


class SiteAuditViewSet(TenantViewSet):
    """Supplier site audits of your companies."""

    queryset = SiteAudit.objects.select_related("partner")
    serializer_class = SiteAuditSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = SiteAuditFilter
    action_permissions = {**TenantViewSet.action_permissions, "complete": "edit"}

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        user = self.request.user
        if "partner" in fields:
            fields["partner"].queryset = BusinessPartner.objects.for_user(user, "edit")
        if "own_checklist" in fields:
            fields["own_checklist"].queryset = OwnChecklist.objects.for_user(user, "edit")
        if "auditor" in fields:
            from accounts.models import User

            fields["auditor"].queryset = User.objects.filter(
                memberships__company__in=fields["company"].queryset
            ).distinct()
        return serializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company_or_404(request)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.setdefault("auditor", self.request.user)
        serializer.instance = workflow.plan_audit(
            SiteAudit(**data), by=cast(Any, self.request.user)
        )

    @extend_schema(request=CompleteSerializer, responses=CompletedSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        audit: SiteAudit = self.get_object()
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created, token = workflow.complete_audit(
            audit,
            by=cast(Any, request.user),
            summary=serializer.validated_data.get("summary", ""),
            site=site_url(request),
        )
        link = site_url(request) + workflow.link_path(token) if token else ""
        return Response(
            {"actions": CorrectiveActionSerializer(created, many=True).data, "link": link}
        )


class AuditItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AuditItem
        fields = [
            "id",
            "audit",
            "position",
            "ref",
            "text",
            "text_es",
            "result",
            "severity",
            "notes",
            "checked_by",
            "updated_at",
        ]
        read_only_fields = [
            "audit",
            "position",
            "ref",
            "text",
            "text_es",
            "checked_by",
            "updated_at",
        ]


class AuditItemViewSet(TenantViewSet):
    """The checklist items of your site audits. `PATCH` records what was found for one
    (result, severity, notes)."""

    queryset = AuditItem.objects.all()
    serializer_class = AuditItemSerializer
    http_method_names = ["get", "patch", "head", "options"]
    filterset_fields = ["audit", "result"]

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item: AuditItem = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved = workflow.record_item(
            item,
            result=data.get("result", item.result),
            severity=data.get("severity", item.severity),
            notes=data.get("notes", item.notes),
            by=cast(Any, request.user),
        )
        return Response(AuditItemSerializer(saved).data)
