"""The mock-audit list's filters: the page's filter form and the API's `filterset_class`
(`company`, `status`, `kind`)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from audits.choices import AuditKind, AuditStatus
from audits.models import MockAudit
from core.filters import Search, TenantFilterSet


class AuditFilter(TenantFilterSet):
    q = Search("title", label=_("Title contains"))
    status = django_filters.ChoiceFilter(choices=AuditStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=AuditKind.choices, label=_("Kind"))

    class Meta:
        model = MockAudit
        fields = ["company", "q", "status", "kind"]
