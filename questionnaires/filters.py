"""The questionnaire list's filters: the page's filter form and the API's `filterset_class`."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import Search, TenantFilterSet
from partners.models import BusinessPartner
from questionnaires.models import Questionnaire, Status

OVERDUE = "overdue"


class QuestionnaireFilter(TenantFilterSet):
    q = Search("partner__name", "contact_name", label=_("Partner or contact contains"))
    status = django_filters.ChoiceFilter(
        choices=[*Status.choices, (OVERDUE, _("Overdue"))],
        method="filter_status",
        label=_("Status"),
    )
    partner = django_filters.ModelChoiceFilter(
        queryset=BusinessPartner.objects.order_by("name"), label=_("Partner")
    )

    class Meta:
        model = Questionnaire
        fields = ["company", "q", "status", "partner"]

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        if value == OVERDUE:
            return queryset.overdue()
        return queryset.filter(status=value)
