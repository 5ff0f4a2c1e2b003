"""Corrective-action reminders for `ctpat send_reminders` (see profiles/reminders.py):
7 and 1 days before the due date and once overdue, to the owner (or the company's
officers and administrators when there is none)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from actions.models import CorrectiveAction
from profiles import annual
from profiles.reminders import DueReminder, managers_of, render_mail, site_url

DUE_DAYS = (7, 1)
# Actions overdue for longer than this get no "overdue" reminder (e.g. on a first run).
OVERDUE_LOOKBACK_DAYS = 30


def action_reminders(today: datetime.date) -> Iterator[DueReminder]:
    actions = (
        CorrectiveAction.objects.open()
        .filter(
            due_date__lte=today + datetime.timedelta(days=max(DUE_DAYS)),
            due_date__gte=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS),
        )
        .select_related("owner", "company")
    )
    for action in actions:
        assert action.due_date is not None
        stage = annual.stage_for((action.due_date - today).days, DUE_DAYS)
        if stage is None:
            continue
        recipients = [action.owner.email] if action.owner else managers_of(action.company)
        if not recipients:
            continue
        subject, body = render_mail(
            action.company,
            "actions/email/action_due.txt",
            {"action": action, "stage": stage, "url": site_url(action.get_absolute_url())},
        )
        yield DueReminder(
            action.company,
            "corrective_action",
            f"{action.pk}:{action.due_date.isoformat()}",
            stage,
            recipients,
            subject,
            body,
        )
