"""The share list's filters: the sharing page's filter form and the API's
`filterset_class` (`direction` given / received, `status`, `party` by company name)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import Search, TenantFilterSet
from sharing.models import Share

# The page annotates each share with the side its company is on, so that "given" means
# given by the company in the address even for someone who works for both companies.
SIDE = "side"


class ShareFilter(TenantFilterSet):
    direction = django_filters.ChoiceFilter(
        choices=[("given", _("Asked of us")), ("received", _("Asked by us"))],
        method="filter_direction",
        label=_("Direction"),
    )
    status = django_filters.ChoiceFilter(choices=Share.Status.choices, label=_("Status"))
    party = Search("requester__legal_name", "sharer__legal_name", label=_("Company name contains"))

    class Meta:
        model = Share
        fields = ["status", "requester", "sharer", "direction", "party"]

    def filter_direction(self, queryset: Any, name: str, value: str) -> Any:
        if SIDE in queryset.query.annotations:
            return queryset.filter(**{SIDE: value})
        if value == "given":
            return queryset & Share.objects.given_by(self.request.user)
        return queryset & Share.objects.received_by(self.request.user)
