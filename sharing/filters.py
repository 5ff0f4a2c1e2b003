"""The share list's filters: the API's `filterset_class` (`direction` given / received)."""

from __future__ import annotations

from typing import Any

import django_filters

from core.filters import TenantFilterSet
from sharing.models import Share


class ShareFilter(TenantFilterSet):
    direction = django_filters.ChoiceFilter(
        choices=[("given", "given"), ("received", "received")], method="filter_direction"
    )

    class Meta:
        model = Share
        fields = ["status", "requester", "sharer", "direction"]

    def filter_direction(self, queryset: Any, name: str, value: str) -> Any:
        if value == "given":
            return queryset & Share.objects.given_by(self.request.user)
        return queryset & Share.objects.received_by(self.request.user)
