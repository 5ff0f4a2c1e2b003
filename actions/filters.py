"""The corrective-action list's filters: the page's filter form and the API's
`filterset_class` (`company`, `status`, `owner`, `criterion_ref`, `overdue`)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters

from actions.choices import ActionStatus
from actions.models import CorrectiveAction
from core.filters import Search, TenantFilterSet


class ActionFilter(TenantFilterSet):
    q = Search("title", "criterion_ref", label=_("Title or criterion contains"))
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    owner = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.order_by("email"),
        null_label=_("No owner"),
        label=_("Owner"),
    )
    criterion_ref = django_filters.CharFilter(label=_("Criterion"))
    overdue = drf_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        help_text=_("Open and past the due date."),
    )

    class Meta:
        model = CorrectiveAction
        fields = ["company", "q", "status", "owner", "criterion_ref", "overdue"]

    def filter_overdue(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is True:
            return queryset.overdue()
        if value is False:
            return queryset.exclude(pk__in=queryset.overdue().values("pk"))
        return queryset
