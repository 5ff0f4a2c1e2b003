"""REST API for employees and their screening records.

Deleting an employee deactivates them (records stay as evidence). Screening outcome
details and notes appear only for companies where the caller may `manage` (officers and
admins); each response that shows them is written to the sensitive-access log.
"""

from __future__ import annotations

from typing import Any, cast

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from companies.models import Company
from core.api import TenantViewSet, ValidatedModelSerializer
from personnel import workflow
from personnel.filters import EmployeeFilter, ScreeningFilter
from personnel.models import Employee, Screening
from personnel.sensitive import SENSITIVE_ACTION, log_sensitive_view


class EmployeeSerializer(ValidatedModelSerializer):
    class Meta:
        model = Employee
        fields = [
            "id",
            "company",
            "employee_number",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "facility",
            "roles",
            "manager_email",
            "hire_date",
            "active",
            "deactivated_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["active", "deactivated_on", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        company = attrs.get("company") or getattr(self.instance, "company", None)
        if (
            self.instance is not None
            and "company" in attrs
            and attrs["company"] != self.instance.company
        ):
            raise serializers.ValidationError(
                {"company": "An employee cannot move to another company."}
            )
        foreign = [r.pk for r in attrs.get("roles", []) if company and r.company_id != company.pk]
        if foreign:
            raise serializers.ValidationError(
                {"roles": f"Roles {foreign} belong to another company; use this company's roles."}
            )
        return attrs


class EmployeeViewSet(TenantViewSet):
    """People covered by the security program. DELETE deactivates: the employee leaves the
    training matrix and reminders, and every record is kept."""

    queryset = Employee.objects.select_related("facility").prefetch_related("roles")
    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        roles = data.pop("roles", [])
        serializer.instance = workflow.save_employee(Employee(**data), roles=roles)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        roles = data.pop("roles", None)
        employee = serializer.instance
        for name, value in data.items():
            setattr(employee, name, value)
        workflow.save_employee(employee, roles=roles)

    def perform_destroy(self, instance: Employee) -> None:
        instance.deactivate()


class ScreeningSerializer(ValidatedModelSerializer):
    class Meta:
        model = Screening
        fields = [
            "id",
            "company",
            "employee",
            "kind",
            "checked_items",
            "checked_on",
            "provider",
            "outcome",
            "outcome_details",
            "notes",
            "recheck_due",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance: Screening) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if instance.company_id not in self.context.get("sensitive_companies", set()):
            for name in Screening.SENSITIVE_FIELDS:
                data.pop(name, None)
        return data


class ScreeningViewSet(TenantViewSet):
    """Pre-employment verification and background checks (MSC 11.1, 11.2). Reading is open
    to everyone who may view the company; `outcome_details` and `notes` are returned only to
    its officers and admins, and every such response is logged. Writing needs `manage`."""

    queryset = Screening.objects.select_related("employee")
    serializer_class = ScreeningSerializer
    filterset_class = ScreeningFilter
    action_permissions = {
        **TenantViewSet.action_permissions,
        "create": SENSITIVE_ACTION,
        "update": SENSITIVE_ACTION,
        "partial_update": SENSITIVE_ACTION,
        "destroy": SENSITIVE_ACTION,
    }

    def perform_create(self, serializer: Any) -> None:
        screening = Screening(**serializer.validated_data)
        serializer.instance = workflow.record_screening(screening, by=cast(Any, self.request.user))

    def perform_update(self, serializer: Any) -> None:
        screening = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(screening, name, value)
        workflow.record_screening(screening)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["sensitive_companies"] = set(
            Company.objects.for_user(self.request.user, SENSITIVE_ACTION).values_list(
                "pk", flat=True
            )
        )
        return context

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "status_code", 500) < 300 and isinstance(response, Response):
            self._log_sensitive(request, response.data)
        return response

    def _log_sensitive(self, request: Request, data: Any) -> None:
        """One log row per employee whose sensitive fields this response carries."""
        items = data.get("results", [data]) if isinstance(data, dict) else data or []
        shown = {
            item["employee"]
            for item in items
            if isinstance(item, dict) and "outcome_details" in item and "employee" in item
        }
        if shown:
            employees = Employee.objects.filter(pk__in=shown)
            log_sensitive_view(request._request, employees, channel="api")
