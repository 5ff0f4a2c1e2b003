"""REST API of corrective actions: the one list every app's findings feed."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from actions import workflow
from actions.filters import ActionFilter
from actions.models import CorrectiveAction
from companies.models import Company
from core.api import TenantViewSet, ValidatedModelSerializer
from core.tenancy import get_for_user_or_404


def company_or_404(request: Request, action: str = "edit") -> Company:
    """The company named in a create payload, when the user may `action` it; 404 otherwise
    (never a 400 that would confirm another tenant's company exists)."""
    raw = request.data.get("company") if hasattr(request.data, "get") else None
    try:
        pk = int(str(raw))
    except ValueError as exc:
        raise serializers.ValidationError(
            {"company": [_("Give the id of a company you work for.")]}
        ) from exc
    return get_for_user_or_404(Company, request.user, action, pk=pk)


class CorrectiveActionSerializer(ValidatedModelSerializer):
    source_type = serializers.SerializerMethodField(
        help_text="What raised the action, as app_label.model (e.g. audits.finding)."
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "company",
            "title",
            "description",
            "criterion_ref",
            "owner",
            "due_date",
            "status",
            "completion_note",
            "completed_at",
            "source_type",
            "source_id",
            "overdue",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["completed_at", "source_id", "created_by", "created_at", "updated_at"]

    def get_source_type(self, obj: CorrectiveAction) -> str | None:
        if obj.source_type_id is None:
            return None
        content_type = ContentType.objects.get_for_id(obj.source_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    def get_overdue(self, obj: CorrectiveAction) -> bool:
        return obj.is_overdue()


class CorrectiveActionViewSet(TenantViewSet):
    """Corrective actions of your companies. Filter by `company`, `status`, `owner`,
    `criterion_ref`; `?overdue=true` lists the open ones past their due date."""

    queryset = CorrectiveAction.objects.all()
    serializer_class = CorrectiveActionSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = ActionFilter

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
        action = CorrectiveAction(**serializer.validated_data)
        serializer.instance = workflow.save_action(action, by=cast(Any, self.request.user))

    def perform_update(self, serializer: Any) -> None:
        action = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(action, name, value)
        workflow.save_action(action)
