"""Screening alerts in the reminder registry (`core.reminders`): a company's open alerts
(waiting for a first or a second reviewer) make ONE task per company ("12 open screening
alerts") for its officers and administrators — the people `partners.notices` tells when
alerts are raised — linked to the alert list, which opens on the open ones.

Due `DECIDE_DAYS` after the oldest open alert was raised; reminded once by e-mail when that
passes (the raising already sent a notice), and again only when the oldest open alert
is decided (the key names the earliest), so nobody is told the same thing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Min
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import ngettext

from core import reminders
from core.reminders import Scope, Task
from partners.models import OPEN_STATUSES, PartnerScreening

KIND = "screening_alerts"
# How long an alert may wait for its reviewer before the reminder goes.
DECIDE_DAYS = 7


def _title(n: int) -> str:
    # Translated when shown or e-mailed (ngettext_lazy's % would translate at once, in the
    # language of the daily run rather than the reader's).
    return lazy(
        lambda: ngettext("%(n)d open screening alert", "%(n)d open screening alerts", n) % {"n": n},
        str,
    )()


def open_alerts(scope: Scope) -> Iterator[Task]:
    # The screening's own company column: the (company, status, …) index answers.
    company = "company_id"
    alerts = scope.companies(PartnerScreening.objects.filter(status__in=OPEN_STATUSES), company)
    if scope.personal:  # the alerts wait on the officers and administrators
        alerts = alerts.filter(**{f"{company}__in": scope.managed})
    counted = (
        alerts.order_by()
        .values_list(company)
        .annotate(n=Count("pk"), oldest=Min("screened_at"), first=Min("pk"))
        .values_list(company, "n", "oldest", "first")
    )
    for company_id, n, oldest, first in counted:
        due = timezone.localdate(oldest) + datetime.timedelta(days=DECIDE_DAYS)
        for email in scope.managers(company_id):
            yield Task(
                KIND,
                f"{company_id}:{first}:{due}",
                company_id,
                email,
                due,
                _title(n),
                format_lazy(
                    "{}?state=open", reverse_lazy("partners:alert-list", args=[company_id])
                ),
            )


def register() -> None:
    reminders.register(KIND, open_alerts, stages=(), overdue_for=30)
