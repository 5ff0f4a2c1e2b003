"""The security profile in the reminder registry (`core.reminders`).

- annual review: from the day its window opens until it is done, it waits on the
  company's officers and administrators; reminded 90, 60, 30, 14, 7 and 1 days before the
  due date and once overdue (`profiles.annual`);
- evidence expiry: from 30 days before a document expires, it waits on the answer's owner
  (or the officers and administrators when it has none); reminded 30 and 7 days before
  and once expired (up to 30 days after).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse, reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core import reminders
from core.reminders import Scope, Task
from profiles import annual
from profiles.models import Evidence

ANNUAL_REVIEW = "annual_review"
EVIDENCE_EXPIRY = "evidence_expiry"
EXPIRY_DAYS = (30, 7)
# Evidence that expired longer ago than this gets no reminder (e.g. on a first run).
EXPIRED_LOOKBACK_DAYS = 30


def annual_reviews(scope: Scope) -> Iterator[Task]:
    companies = scope.companies(Company.objects.all(), "pk")
    if scope.personal:  # the review waits on the officers and administrators only
        companies = companies.filter(pk__in=scope.managed)
    for company, cycle in annual.cycles(companies, scope.today):
        if not cycle.accepts_review:
            continue
        for email in scope.managers(company.pk):
            yield Task(
                ANNUAL_REVIEW,
                f"{company.pk}:{cycle.due_date}",
                company.pk,
                email,
                cycle.due_date,
                format_lazy("{}: {}", _("Annual security profile review"), company.legal_name),
                reverse("profiles:annual-review", args=[company.pk]),
            )


def expiring_evidence(scope: Scope) -> Iterator[Task]:
    horizon = scope.today + datetime.timedelta(days=max(EXPIRY_DAYS))
    company = "response__profile__company"
    rows = scope.first(
        scope.companies(Evidence.objects.expiring(horizon), company).filter(
            scope.waiting_on_user("response__owner", company)
        ),
        "expires_on",
        "pk",
    ).values_list(
        "pk", "title", "expires_on", "response__criterion_id", f"{company}_id",
        "response__owner__email",
    )  # fmt: skip
    for pk, title, expires_on, criterion_id, company_id, owner in rows:
        for email in scope.people(company_id, owner):
            yield Task(
                EVIDENCE_EXPIRY,
                f"{pk}:{expires_on}",
                company_id,
                email,
                expires_on,
                format_lazy("{}: {}", _("Evidence to renew"), title),
                reverse_lazy("profiles:response-edit", args=[company_id, criterion_id]),
            )


def register() -> None:
    reminders.register(ANNUAL_REVIEW, annual_reviews, stages=annual.REMINDER_DAYS)
    reminders.register(
        EVIDENCE_EXPIRY, expiring_evidence, stages=EXPIRY_DAYS, overdue_for=EXPIRED_LOOKBACK_DAYS
    )
