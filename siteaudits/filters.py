"""The site-audit list's filters: the page's filter form and the API's `filterset_class`
(`company`, `q`, `status`, `partner`)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import Search, TenantFilterSet
from partners.models import BusinessPartner
from siteaudits.choices import AuditStatus
from siteaudits.models import SiteAudit


class SiteAuditFilter(TenantFilterSet):
    q = Search("partner__name", "site", label=_("Partner or facility contains"))
    status = django_filters.ChoiceFilter(choices=AuditStatus.choices, label=_("Status"))
    partner = django_filters.ModelChoiceFilter(
        queryset=BusinessPartner.objects.order_by("name"), label=_("Partner")
    )

    class Meta:
        model = SiteAudit
        fields = ["company", "q", "status", "partner"]
