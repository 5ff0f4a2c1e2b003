"""The inspection log's and the gate log's filters: each the page's filter form and the
API's `filterset_class`."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import DateRangeFilterSet, Search
from inspections.choices import Direction, GateDirection
from inspections.models import GateEntry, Inspection

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

    q = Search(
        "iit_number",
        index="inspection_search_trgm",
        label=_("Container / trailer number contains"),
    )
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


class GateEntryFilter(DateRangeFilterSet):
    date_field = "at"

    q = Search(
        "driver_name",
        "tractor_plate",
        "trailer_plate",
        "iit_number",
        "seal_number",
        label=_("Driver, plate, container or seal contains"),
    )
    direction = django_filters.ChoiceFilter(choices=GateDirection.choices, label=_("In / out"))
    seal_intact = django_filters.BooleanFilter(label=_("Seal intact"))

    class Meta:
        model = GateEntry
        fields = ["company", "q", "direction", "seal_intact", "date_from", "date_to"]
