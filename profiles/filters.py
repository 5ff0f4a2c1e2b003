"""The filters of a profile's answers: the API's `filterset_class` (`profile`, `owner`,
`status` with `unanswered` for empty, `requirement` after per-type overrides); and of the
submissions, shared by the submissions page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy

from core.filters import DateRangeFilterSet, Search, TenantFilterSet
from profiles.choices import ResponseStatus, SubmissionKind
from profiles.models import Response, Submission


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


class SubmissionFilter(DateRangeFilterSet):
    """The submissions list's filters: the page's filter form and the API's
    `filterset_class`."""

    date_field = "submitted_at"
    q = Search("signer_name", "signer_title", label=gettext_lazy("Signed by contains"))
    kind = django_filters.ChoiceFilter(choices=SubmissionKind.choices, label=gettext_lazy("Kind"))

    class Meta:
        model = Submission
        fields = ["company", "profile", "kind", "q", "date_from", "date_to"]
