"""The notice e-mail: one per notice, in the language fixed when it was written, with an
absolute link to the page that resolves it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from core.reminders import site_url
from notices.models import Notice


def message(notice: Notice) -> EmailMessage:
    with translation.override(notice.language):
        body = render_to_string(
            "notices/email/notice.txt",
            {"notice": notice, "link": site_url(notice.url) if notice.url else ""},
        )
    return EmailMessage(notice.title, body, settings.DEFAULT_FROM_EMAIL, [notice.user.email])


@task()
def send_notice_emails(notice_ids: list[int]) -> int:
    """E-mail each notice among `notice_ids` not e-mailed yet, then mark it e-mailed;
    returns how many went (0 when another worker sent them)."""
    with transaction.atomic():
        # Locked rows make a second worker holding the same ids wait, then find them sent.
        rows = list(
            Notice.objects.select_for_update()
            .filter(pk__in=notice_ids, emailed_at__isnull=True)
            .select_related("user")
            .order_by("pk")
        )
        rows = [n for n in rows if n.user.is_active and n.user.email]
        if not rows:
            return 0
        get_connection().send_messages([message(n) for n in rows])
        Notice.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=timezone.now())
    return len(rows)
