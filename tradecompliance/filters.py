"""The program office's list of Trade Compliance applications: the page's filter form and
the API's `filterset_class`."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import Search, TenantFilterSet
from tradecompliance.models import Status, TradeComplianceApplication


class ApplicationFilter(TenantFilterSet):
    q = Search("company__legal_name", label=_("Company name contains"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))

    class Meta:
        model = TradeComplianceApplication
        fields = ["company", "q", "status"]
