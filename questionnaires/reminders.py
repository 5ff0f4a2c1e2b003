"""Partner questionnaires in the reminder registry (`core.reminders`), one kind, two cases,
each waiting on whoever sent the questionnaire (or the company's officers and
administrators when nobody is recorded):

- out and not answered: the link expired before the partner submitted; the sender should
  chase the partner, or send a new link (which ends the task) or revoke it. Listed from
  the day after the link's last day, reminded once then (up to 30 days after);
- submitted and not yet reviewed: the partner's answers wait on the member
  (`workflow.mark_reviewed` ends the task); due `REVIEW_DAYS` after submission and
  reminded once if still unread then (the submission itself sent a notice).

The key names the questionnaire, the case and its date, so a new link starts a new series.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import reminders
from core.reminders import Scope, Task
from questionnaires.models import AWAITING, Questionnaire, Status

KIND = "partner_questionnaire"
# How long a submitted questionnaire may wait for the member's review before a reminder.
REVIEW_DAYS = 14
OVERDUE_FOR = 30


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def questionnaires(scope: Scope) -> Iterator[Task]:
    unanswered = Q(status__in=AWAITING, expires_at__lt=_start_of(scope.today))
    to_review = Q(status=Status.SUBMITTED, reviewed_at__isnull=True)
    rows = (
        scope.companies(Questionnaire.objects.filter(unanswered | to_review))
        .filter(scope.waiting_on_user("sent_by", "company"))
        .order_by()
        .values_list(
            "pk", "company_id", "status", "expires_at", "submitted_at", "partner__name",
            "sent_by__email",
        )
    )  # fmt: skip
    found = []
    for pk, company_id, status, expires_at, submitted_at, partner, sender in rows:
        if status == Status.SUBMITTED:
            due = timezone.localdate(submitted_at) + datetime.timedelta(days=REVIEW_DAYS)
            case, title = "review", _("Questionnaire to review")
        else:
            due = timezone.localdate(expires_at)
            case, title = "unanswered", _("Questionnaire not answered")
        found.append((due, pk, company_id, case, title, partner, sender))
    found.sort(key=lambda row: (row[0], row[1]))
    if scope.limit is not None:
        found = found[: scope.limit]
    for due, pk, company_id, case, title, partner, sender in found:
        url = reverse_lazy("questionnaires:questionnaire-detail", args=[company_id, pk])
        for email in scope.people(company_id, sender):
            yield Task(
                KIND,
                f"{pk}:{case}:{due}",
                company_id,
                email,
                due,
                format_lazy("{}: {}", title, partner),
                url,
            )


def register() -> None:
    reminders.register(KIND, questionnaires, stages=(), overdue_for=OVERDUE_FOR)
