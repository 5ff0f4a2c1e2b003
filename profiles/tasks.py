"""Background tasks (Django tasks API; `ctpat db_worker` runs them)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from profiles.models import SentReminder


@task()
def send_reminder(reminder_id: int) -> None:
    """Send one recorded reminder e-mail, once: a retried task finds it sent and stops."""
    with transaction.atomic():
        reminder = SentReminder.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None or reminder.sent_at is not None:
            return
        send_mail(
            reminder.subject,
            reminder.body,
            settings.DEFAULT_FROM_EMAIL,
            reminder.recipients,
        )
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at", "updated_at"])
