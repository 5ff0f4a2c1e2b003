"""The partner directory's filters: the page's filter form and the API's `filterset_class`."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.filters import Search, TenantFilterSet
from partners.models import BusinessPartner, PartnerRole, Tier


class PartnerFilter(TenantFilterSet):
    q = Search("name", "tax_id", label=_("Name or tax id contains"))
    role = django_filters.ChoiceFilter(choices=PartnerRole.choices, label=_("Role"))
    country = django_filters.ChoiceFilter(choices=lambda: list(countries), label=_("Country"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("Tier"))

    class Meta:
        model = BusinessPartner
        fields = ["company", "q", "role", "country", "tier"]
