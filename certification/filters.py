"""The program office's case list (the review queue): the page's filter form and the
certification API's `filterset_class`."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters

from certification.choices import State
from certification.models import Certification
from core.filters import Search, TenantFilterSet


class CertificationFilter(TenantFilterSet):
    q = Search("company__legal_name", label=_("Company name contains"))
    status = django_filters.ChoiceFilter(choices=State.choices, label=_("Status"))
    assigned_to = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.order_by("email"),
        null_label=_("Nobody"),
        label=_("Specialist"),
    )
    mine = drf_filters.BooleanFilter(method="filter_mine", label=_("Assigned to me"))

    class Meta:
        model = Certification
        fields = ["company", "q", "status", "assigned_to", "mine"]

    def filter_mine(self, queryset: Any, name: str, value: bool | None) -> Any:
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        if value:
            return queryset.filter(assigned_to_id=user.pk)
        return queryset.exclude(assigned_to_id=user.pk)
