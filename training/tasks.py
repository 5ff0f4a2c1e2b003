"""Background tasks of the training app (Django tasks API)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from training.models import ReminderKind, ReminderLog


def absolute(path: str) -> str:
    """A link for an e-mail sent from a worker, where no request knows the host."""
    return f"{settings.CTPAT_SITE_URL}{path}"


@task()
def send_training_reminder(log_ids: list[int]) -> int:
    """E-mail one recipient group the reminders among `log_ids` not sent yet, then mark
    them sent. Returns how many reminders the e-mail carried (0 when all were sent)."""
    with transaction.atomic():
        # Locking the rows makes a second worker holding the same ids wait, then find
        # them sent; the e-mail goes once.
        logs = list(
            ReminderLog.objects.select_for_update(of=("self",))
            .filter(pk__in=log_ids, sent_at__isnull=True)
            .select_related("company", "employee", "course")
            .order_by("kind", "due_on", "employee__last_name")
        )
        if not logs:
            return 0
        company = logs[0].company
        recipients = [r for r in logs[0].recipients.split(",") if r]
        with translation.override(company.language):
            context = {
                "company": company,
                "overdue": [x for x in logs if x.kind == ReminderKind.AFTER],
                "due_soon": [x for x in logs if x.kind == ReminderKind.BEFORE],
                "missing": [x for x in logs if x.kind == ReminderKind.MISSING],
                "matrix_url": absolute(reverse("training:matrix", args=[company.pk])),
            }
            subject = render_to_string("training/email/reminder_subject.txt", context).strip()
            body = render_to_string("training/email/reminder_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        ReminderLog.objects.filter(pk__in=[x.pk for x in logs]).update(sent_at=timezone.now())
    return len(logs)
