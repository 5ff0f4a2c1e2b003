"""The employee and screening lists' filters: each is the page's filter form and the API's
`filterset_class` (employees: `company`, `q`, `active`, `facility`, `roles`; screenings:
`company`, `employee`, `q`, `kind`, `outcome`)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as drf_filters

from companies.models import Address
from core.filters import Search, TenantFilterSet
from personnel.models import (
    Employee,
    Outcome,
    Screening,
    ScreeningKind,
    SecurityRole,
    SensitiveAccessLog,
)


class EmployeeFilter(TenantFilterSet):
    q = Search("first_name", "last_name", "employee_number", label=_("Name or number"))
    active = drf_filters.BooleanFilter(label=pgettext_lazy("in use", "Active"))
    facility = django_filters.ModelChoiceFilter(queryset=Address.objects.all(), label=_("Facility"))
    roles = django_filters.ModelChoiceFilter(
        queryset=SecurityRole.objects.order_by("code"), label=pgettext_lazy("security", "Role")
    )

    class Meta:
        model = Employee
        fields = ["company", "q", "active", "facility", "roles"]


class ScreeningFilter(TenantFilterSet):
    q = Search(
        "employee__first_name",
        "employee__last_name",
        "employee__employee_number",
        label=_("Employee name or number"),
    )
    kind = django_filters.ChoiceFilter(choices=ScreeningKind.choices, label=_("Type of check"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("Outcome"))

    class Meta:
        model = Screening
        fields = ["company", "employee", "q", "kind", "outcome"]


class AccessLogFilter(TenantFilterSet):
    """Who viewed sensitive screening details: `employee` (an id, as the employee page
    links it), `q` (the viewer's e-mail or the employee's name), `channel`."""

    employee = django_filters.NumberFilter(field_name="employee_id", widget=forms.HiddenInput)
    q = Search(
        "user_email",
        "employee__first_name",
        "employee__last_name",
        label=_("Viewer e-mail or employee name"),
    )
    channel = django_filters.CharFilter(label=_("Seen through"))

    class Meta:
        model = SensitiveAccessLog
        fields = ["company", "employee", "q", "channel"]
