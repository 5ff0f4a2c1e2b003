"""The audit trail's filters: who (`q`, the person's e-mail or the record's name), what
(`action`: created, changed, deleted) and when (`date_from` / `date_to`)."""

from __future__ import annotations

import django_filters
from auditlog.models import LogEntry
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.filters import DateRangeFilterSet, Search

ACTIONS = [
    (LogEntry.Action.CREATE, pgettext_lazy("audit action", "created")),
    (LogEntry.Action.UPDATE, pgettext_lazy("audit action", "changed")),
    (LogEntry.Action.DELETE, pgettext_lazy("audit action", "deleted")),
]


class AuditLogFilter(DateRangeFilterSet):
    date_field = "timestamp"

    q = Search("actor__email", "object_repr", label=_("Person or record contains"))
    action = django_filters.TypedChoiceFilter(choices=ACTIONS, coerce=int, label=_("Action"))

    class Meta:
        model = LogEntry
        fields = ["q", "action", "date_from", "date_to"]
