"""The filters of a profile's answers: the API's `filterset_class` (`profile`, `owner`,
`status` with `unanswered` for empty, `requirement` after per-type overrides)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F

from core.filters import TenantFilterSet
from profiles.choices import ResponseStatus
from profiles.models import Response


class ResponseFilter(TenantFilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("unanswered", "unanswered"), *ResponseStatus.choices[1:]], method="filter_status"
    )
    requirement = django_filters.ChoiceFilter(
        choices=[("must", "must"), ("should", "should")], method="filter_requirement"
    )

    class Meta:
        model = Response
        fields = ["profile", "owner", "status", "requirement"]

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(status="" if value == "unanswered" else value)

    def filter_requirement(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(
            criterion__applicabilities__business_type=F("profile__company__business_type"),
            criterion__applicabilities__requirement=value,
        )
