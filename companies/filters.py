"""The company list's filters (the program office's list of every company, and the API's
`/companies/`): a search over name, DBA and account number, business type and country; and
the audit trail's: who (`q`, the person's e-mail or the record's name), what (`action`:
created, changed, deleted) and when (`date_from` / `date_to`)."""

from __future__ import annotations

import re

import django_filters
from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.choices import BusinessType
from companies.models import Company
from core.filters import DateRangeFilterSet, Search

ACTIONS = [
    (LogEntry.Action.CREATE, pgettext_lazy("audit action", "created")),
    (LogEntry.Action.UPDATE, pgettext_lazy("audit action", "changed")),
    (LogEntry.Action.DELETE, pgettext_lazy("audit action", "deleted")),
]


ACCOUNT = re.compile(r"CT(\d{1,9})")


class CompanyFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("Name, DBA or account number"), method="search")
    business_type = django_filters.ChoiceFilter(
        choices=BusinessType.choices, label=_("Business type")
    )
    country = django_filters.CharFilter(label=_("Country (ISO code)"), lookup_expr="iexact")

    class Meta:
        model = Company
        fields = ["q", "business_type", "country"]

    def search(self, qs: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        value = (value or "").strip()
        if not value:
            return qs
        account = ACCOUNT.fullmatch(value.upper())
        if account:  # CT0000123, the account number the program office quotes
            return qs.filter(pk=int(account.group(1)))
        return qs.filter(Q(legal_name__icontains=value) | Q(dba__icontains=value))


class AuditLogFilter(DateRangeFilterSet):
    date_field = "timestamp"

    q = Search("actor__email", "object_repr", label=_("Person or record contains"))
    action = django_filters.TypedChoiceFilter(choices=ACTIONS, coerce=int, label=_("Action"))

    class Meta:
        model = LogEntry
        fields = ["q", "action", "date_from", "date_to"]
