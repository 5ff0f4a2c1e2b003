"""The risk assessment history's filters: the page's filter form and the API's
`filterset_class`."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import TenantFilterSet
from risk.choices import AssessmentStatus
from risk.models import Assessment


class AssessmentFilter(TenantFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label=_("Status"))

    class Meta:
        model = Assessment
        fields = ["company", "year", "status"]
