"""The seal log's filters: the page's filter form and the API's `filterset_class`."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import DateRangeFilterSet, Search
from seals.choices import SealStatus
from seals.models import Seal


class SealFilter(DateRangeFilterSet):
    """`date_from` / `date_to` select seals by their last change in the log."""

    date_field = "updated_at"

    q = Search("number", label=_("Seal number contains"))
    number = django_filters.CharFilter(lookup_expr="iexact", label=_("Seal number"))
    iit_number = django_filters.CharFilter(
        lookup_expr="iexact", label=_("Container / trailer number")
    )
    status = django_filters.ChoiceFilter(choices=SealStatus.choices, label=_("Status"))

    class Meta:
        model = Seal
        fields = ["company", "q", "number", "iit_number", "status", "date_from", "date_to"]
