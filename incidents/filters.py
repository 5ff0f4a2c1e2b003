"""The incident list's filters: the page's filter form and the API's `filterset_class`."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import DateRangeFilterSet, Search
from incidents.choices import IncidentKind, IncidentStatus
from incidents.models import Incident


class IncidentFilter(DateRangeFilterSet):
    """`date_from` / `date_to` select incidents by when they happened."""

    date_field = "occurred_at"

    q = Search("title", label=_("Title contains"))
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, label=_("Status"))
    iit_number = django_filters.CharFilter(
        method="filter_iit",
        label=_("Container / trailer number"),
        help_text=_("Of the linked seal or inspection, or the place."),
    )

    class Meta:
        model = Incident
        fields = ["company", "q", "kind", "status", "iit_number", "date_from", "date_to"]

    def filter_iit(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(
            Q(seal__iit_number__iexact=value)
            | Q(inspection__iit_number__iexact=value)
            | Q(location__iexact=value)
        )
