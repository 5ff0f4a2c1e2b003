"""Training reminders to managers before and after due dates.

`ctpat send_training_reminders` (run daily by cron or a systemd timer) calls
`queue_reminders()`: for each company it finds the required courses that are due soon
(within 30 days), overdue or never taken, writes one `ReminderLog` row per (person,
course, kind, due date) that has none yet, and enqueues one e-mail task per group of
recipients with the rows not yet sent. The task marks the rows sent once the e-mail is
out, so the same reminder never goes twice and a failed e-mail is retried by the next run.

Recipients are the employee's manager (`manager_email`) or, without one, the company's
officers and admins.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import Company
from training.matrix import State, build_matrix
from training.models import ReminderKind, ReminderLog

KIND_BY_STATE = {
    State.DUE_SOON: ReminderKind.BEFORE,
    State.OVERDUE: ReminderKind.AFTER,
    State.MISSING: ReminderKind.MISSING,
}
MANAGER_ROLES = ("officer", "admin")


@dataclass(frozen=True)
class QueueResult:
    recorded: int
    emails: int


def company_managers(company: Company) -> list[str]:
    emails = company.memberships.filter(role__in=MANAGER_ROLES).values_list(
        "user__email", flat=True
    )
    return sorted({e.lower() for e in emails if e})


def record_due_reminders(company: Company, today: datetime.date | None = None) -> int:
    """Write a log row for every reminder that fell due and has none yet; returns how many."""
    matrix = build_matrix(company, today=today)
    managers = company_managers(company)
    created = 0
    for row in matrix.rows:
        recipients = (
            [row.employee.manager_email.lower()] if row.employee.manager_email else managers
        )
        if not recipients:
            continue
        for cell in row.required():
            kind = KIND_BY_STATE.get(cell.state)
            if kind is None:
                continue
            key = cell.due_on.isoformat() if cell.due_on else "never"
            try:
                # The unique (employee, course, kind, key) constraint is what stops a second
                # run, or two runs at once, from recording the same reminder twice.
                with transaction.atomic():
                    ReminderLog.objects.create(
                        company=company,
                        employee=row.employee,
                        course=cell.course,
                        kind=kind,
                        due_on=cell.due_on,
                        key=key,
                        recipients=",".join(recipients),
                    )
            except IntegrityError:
                continue
            created += 1
    return created


def enqueue_unsent(company: Company) -> int:
    """Enqueue one e-mail task per recipient group with the reminders not yet sent."""
    from training.tasks import send_training_reminder

    groups: dict[str, list[int]] = defaultdict(list)
    for pk, recipients in ReminderLog.objects.filter(
        company=company, sent_at__isnull=True
    ).values_list("pk", "recipients"):
        groups[recipients].append(pk)
    for ids in groups.values():
        send_training_reminder.enqueue(ids)
    return len(groups)


def queue_reminders(
    companies: list[Company] | None = None, today: datetime.date | None = None
) -> QueueResult:
    today = today or timezone.localdate()
    if companies is None:
        companies = list(Company.objects.filter(courses__isnull=False).distinct())
    recorded = emails = 0
    for company in companies:
        recorded += record_due_reminders(company, today)
        emails += enqueue_unsent(company)
    return QueueResult(recorded, emails)
