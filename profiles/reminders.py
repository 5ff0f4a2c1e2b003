"""E-mail reminders: which are due today, and enqueueing each exactly once.

`ctpat send_reminders` (run daily by cron or a systemd timer) calls `enqueue_due()`. It
collects the reminders due on that day, writes one `SentReminder` row for each (the
unique topic + key + stage makes a second run, or a second machine, skip it) and enqueues
the `send_reminder` task in the same transaction; a worker (`ctpat db_worker`) sends the
e-mail and stamps `sent_at`.

Reminders:
- annual review: 90, 60, 30, 14, 7 and 1 days before the due date and once overdue, to
  the company's officers and administrators (profiles.annual);
- evidence expiry: 30 and 7 days before and once expired, to the answer's owner (or the
  officers and administrators when it has none);
- corrective actions: 7 and 1 days before the due date and once overdue, to the owner
  (actions.reminders).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sites.models import Site
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies.models import Company, Membership
from profiles import annual
from profiles.models import Evidence, SentReminder

log = logging.getLogger(__name__)

EXPIRY_DAYS = (30, 7)
# Evidence that expired longer ago than this gets no reminder (e.g. on a first run).
EXPIRED_LOOKBACK_DAYS = 30


@dataclass(frozen=True)
class DueReminder:
    """One e-mail to send: about what (`topic` + `key`), which stage, to whom."""

    company: Company
    topic: str
    key: str
    stage: str
    recipients: list[str]
    subject: str
    body: str


def managers_of(company: Company) -> list[str]:
    """E-mail addresses of the company's officers and administrators."""
    return list(
        Membership.objects.filter(company=company, role__in=["officer", "admin"])
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def site_url(path: str) -> str:
    """An absolute link for an e-mail: CTPAT_SITE_URL when set, else the current Site."""
    base = str(getattr(settings, "CTPAT_SITE_URL", "")).rstrip("/")
    if not base:
        base = f"https://{Site.objects.get_current().domain}"
    return f"{base}{path}"


def render_mail(company: Company, template: str, context: dict[str, object]) -> tuple[str, str]:
    """(subject, body) in the company's preferred language."""
    with translation.override(company.language or settings.LANGUAGE_CODE):
        text = render_to_string(template, {"company": company, **context}).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def annual_review_reminders(today: datetime.date) -> Iterator[DueReminder]:
    for company, anniv in annual.anniversaries():
        cycle = annual.cycle_for(company, anniv, today)
        stage = cycle.reminder_stage if cycle else None
        if cycle is None or stage is None:
            continue
        recipients = managers_of(company)
        if not recipients:
            continue
        subject, body = render_mail(
            company,
            "profiles/email/annual_review.txt",
            {
                "cycle": cycle,
                "stage": stage,
                "url": site_url(reverse("profiles:annual-review", args=[company.pk])),
            },
        )
        yield DueReminder(
            company,
            "annual_review",
            f"{company.pk}:{cycle.due_date.isoformat()}",
            stage,
            recipients,
            subject,
            body,
        )


def evidence_expiry_reminders(today: datetime.date) -> Iterator[DueReminder]:
    horizon = today + datetime.timedelta(days=max(EXPIRY_DAYS))
    expiring = (
        Evidence.objects.expiring(horizon)
        .filter(expires_on__gte=today - datetime.timedelta(days=EXPIRED_LOOKBACK_DAYS))
        .select_related("response__owner", "response__criterion", "response__profile__company")
    )
    for evidence in expiring:
        assert evidence.expires_on is not None
        stage = annual.stage_for((evidence.expires_on - today).days, EXPIRY_DAYS)
        if stage is None:
            continue
        response = evidence.response
        company = response.profile.company
        recipients = [response.owner.email] if response.owner else managers_of(company)
        if not recipients:
            continue
        subject, body = render_mail(
            company,
            "profiles/email/evidence_expiry.txt",
            {
                "evidence": evidence,
                "criterion": response.criterion,
                "stage": stage,
                "url": site_url(response.get_absolute_url()),
            },
        )
        yield DueReminder(
            company,
            "evidence_expiry",
            f"{evidence.pk}:{evidence.expires_on.isoformat()}",
            stage,
            recipients,
            subject,
            body,
        )


def due_reminders(today: datetime.date) -> Iterator[DueReminder]:
    from actions.reminders import action_reminders

    yield from annual_review_reminders(today)
    yield from evidence_expiry_reminders(today)
    yield from action_reminders(today)


def enqueue_due(today: datetime.date | None = None, *, dry_run: bool = False) -> list[DueReminder]:
    """Record and enqueue every reminder due `today` that was not enqueued before.
    Returns the reminders enqueued now (or, with `dry_run`, those that would be)."""
    from profiles.tasks import send_reminder

    today = today or timezone.localdate()
    enqueued: list[DueReminder] = []
    for due in due_reminders(today):
        if dry_run:
            if not SentReminder.objects.filter(
                topic=due.topic, key=due.key, stage=due.stage
            ).exists():
                enqueued.append(due)
            continue
        try:
            with transaction.atomic():
                row = SentReminder.objects.create(
                    company=due.company,
                    topic=due.topic,
                    key=due.key,
                    stage=due.stage,
                    recipients=due.recipients,
                    subject=due.subject,
                    body=due.body,
                )
                send_reminder.enqueue(row.pk)
        except IntegrityError:
            continue  # already enqueued by an earlier run
        log.info("reminder enqueued: %s %s %s", due.topic, due.key, due.stage)
        enqueued.append(due)
    return enqueued


def describe(due: DueReminder) -> str:
    return _("%(topic)s %(key)s (%(stage)s) → %(to)s") % {
        "topic": due.topic,
        "key": due.key,
        "stage": due.stage,
        "to": ", ".join(due.recipients),
    }
