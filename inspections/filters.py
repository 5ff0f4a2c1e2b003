"""The inspection log's filters: the page's filter form and the API's `filterset_class`."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import DateRangeFilterSet, Search
from inspections.choices import Direction
from inspections.models import Inspection

STATUSES = [
    ("complete", _("complete")),
    ("incomplete", _("incomplete")),
    ("passed", _("passed")),
    ("failed", _("failed")),
    ("signed", _("signed")),
    ("unsigned", _("unsigned")),
]


class InspectionFilter(DateRangeFilterSet):
    date_field = "performed_at"

    q = Search("iit_number", label=_("Container / trailer number contains"))
    iit_number = django_filters.CharFilter(
        lookup_expr="iexact", label=_("Container / trailer number")
    )
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Movement"))
    status = django_filters.ChoiceFilter(
        choices=STATUSES,
        method="filter_status",
        label=_("Result"),
        help_text=_("complete, incomplete, passed, failed, signed or unsigned"),
    )

    class Meta:
        model = Inspection
        fields = ["company", "q", "iit_number", "direction", "status", "date_from", "date_to"]

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        if value == "complete":
            return queryset.complete()
        if value == "incomplete":
            return queryset.filter(
                Q(points_open__gt=0)
                | Q(pest_checked=False)
                | Q(direction=Direction.OUTBOUND, vvtt_done=False)
            )
        if value == "passed":
            return queryset.filter(points_failed=0, pest_found=False)
        if value == "failed":
            return queryset.filter(Q(points_failed__gt=0) | Q(pest_found=True))
        return queryset.filter(signed_off_at__isnull=value == "unsigned")
