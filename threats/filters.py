"""The threat-rating filters: the API's `filterset_class`."""

from __future__ import annotations

from typing import Any

from core.filters import TenantFilterSet
from threats.models import ThreatRating


class ThreatRatingFilter(TenantFilterSet):
    """Codes are matched in upper case, as they are stored (`mx` finds `MX`)."""

    class Meta:
        model = ThreatRating
        fields = ["company", "country", "region", "level", "category"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            for name in ("country", "region", "level"):
                if data.get(name):
                    data[name] = data[name].upper()
        super().__init__(data, *args, **kwargs)
