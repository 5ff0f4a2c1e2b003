"""The partner directory's filters: the page's filter form and the API's `filterset_class`."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.filters import Search, TenantFilterSet
from partners.models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    BusinessPartner,
    PartnerRole,
    PartnerScreening,
    ScreeningStatus,
    Tier,
)


class PartnerFilter(TenantFilterSet):
    q = Search("name", "tax_id", index="partner_search_trgm", label=_("Name or tax id contains"))
    role = django_filters.ChoiceFilter(choices=PartnerRole.choices, label=_("Role"))
    country = django_filters.ChoiceFilter(choices=lambda: list(countries), label=_("Country"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("Tier"))
    on_hold = django_filters.BooleanFilter(label=_("On hold after a confirmed match"))

    class Meta:
        model = BusinessPartner
        fields = ["company", "q", "role", "country", "tier", "on_hold"]


class AlertFilter(TenantFilterSet):
    """The screening alerts: open (waiting for a reviewer), decided, or all of them."""

    STATES = [("open", _("Open")), ("decided", _("Decided")), ("all", _("All"))]
    state = django_filters.ChoiceFilter(
        choices=STATES, method="filter_state", label=_("Alerts"), empty_label=None
    )
    q = Search("name", index="partner_search_trgm", via="partner", label=_("Partner name contains"))
    partner = django_filters.ModelChoiceFilter(
        queryset=BusinessPartner.objects.all(), label=_("Partner")
    )
    status = django_filters.ChoiceFilter(choices=ScreeningStatus.choices, label=_("Status"))

    class Meta:
        model = PartnerScreening
        fields = ["q", "state", "partner", "status"]

    def filter_state(self, queryset: Any, name: str, value: str) -> Any:
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "decided":
            return queryset.filter(status__in=DECIDED_STATUSES)
        return queryset.exclude(status=ScreeningStatus.CLEAR)
