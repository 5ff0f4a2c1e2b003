"""The reminder e-mail: one per person and company, listing the reminders recorded for
them (`core.reminders`), in the language fixed when they were recorded."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from core.models import SentReminder
from core.reminders import OVERDUE


def render(reminders: list[SentReminder]) -> tuple[str, str]:
    """(subject, body) of the e-mail carrying `reminders`, in their language."""
    with translation.override(reminders[0].language):
        items = [{"row": r, "when": when(r)} for r in reminders]
        if len(reminders) == 1:
            subject = f"{reminders[0].title} — {items[0]['when']}"
        else:
            subject = ngettext(
                "%(count)d reminder from OpenCTPAT",
                "%(count)d reminders from OpenCTPAT",
                len(items),
            ) % {"count": len(items)}
        body = render_to_string("core/email/reminders.txt", {"items": items})
    return subject, body


def when(row: SentReminder) -> str:
    """When a reminder is due, in the active language: "due in 7 days (2026-06-30)"…"""
    if row.due_date is None:
        return _("overdue")
    due = row.due_date.isoformat()
    days = (row.due_date - timezone.localdate()).days
    if days < 0 or row.stage == OVERDUE:
        return _("overdue (due %(date)s)") % {"date": due}
    return ngettext("due in %(days)d day (%(date)s)", "due in %(days)d days (%(date)s)", days) % {
        "days": days,
        "date": due,
    }


@task()
def send_reminder_email(reminder_ids: list[int]) -> int:
    """E-mail one person the reminders among `reminder_ids` not sent yet, then mark them
    sent; returns how many the e-mail carried (0 when another worker sent them)."""
    with transaction.atomic():
        # Locked rows make a second worker holding the same ids wait, then find them sent.
        rows = list(
            SentReminder.objects.select_for_update()
            .filter(pk__in=reminder_ids, sent_at__isnull=True)
            .order_by("due_date", "kind", "key")
        )
        if not rows:
            return 0
        subject, body = render(rows)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [rows[0].recipient])
        SentReminder.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=timezone.now())
    return len(rows)
