"""The employee list's filters: the page's filter form and the API's `filterset_class`
(`company`, `active`, `facility`, `roles`)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as drf_filters

from companies.models import Address
from core.filters import Search, TenantFilterSet
from personnel.models import Employee, SecurityRole


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
