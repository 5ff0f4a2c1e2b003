"""The daily digest: one e-mail a day to each person who wants it, with what is overdue
or due within a week (`core.reminders`, every registered kind) and the notices they have
not had by e-mail. People with nothing to hear of get nothing.

The whole run asks the reminder providers once, for every company (not once per person),
and reads notices and settings in a few queries, so 1,000 people cost about the same
queries as ten (`bench/bench_digest.py`). `DigestSent` (unique person + day) keeps a
second run the same day from sending again.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import Company, Membership
from core import reminders
from notices.models import DigestSent, Notice, NoticeSettings

log = logging.getLogger(__name__)
SOON = 7  # days ahead a task is mentioned
MAX_TASKS = 20  # the rest is a link to the task list
CHUNK = 500


@dataclass
class Digest:
    user: Any
    language: str
    tasks: list[reminders.Task] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.tasks and not self.notices


def build(today: datetime.date) -> list[Digest]:
    """The digests due `today` for people who want one and have not had today's."""
    user_model = get_user_model()
    off = set(NoticeSettings.objects.filter(digest=False).values_list("user_id", flat=True))
    done = set(
        DigestSent.objects.filter(day=today, sent_at__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    own_language = dict(
        NoticeSettings.objects.exclude(language="").values_list("user_id", "language")
    )
    people = {
        u.email.lower(): u
        for u in user_model.objects.filter(is_active=True).only("pk", "email")
        if u.pk not in off and u.pk not in done
    }
    # A person's language: their own setting, else their first company's.
    company_language: dict[int, str] = {}
    for user_id, language in Membership.objects.order_by("user_id", "company_id").values_list(
        "user_id", "company__language"
    ):
        company_language.setdefault(user_id, language)
    digests = {
        email: Digest(user, own_language.get(user.pk) or company_language.get(user.pk) or "en")
        for email, user in people.items()
    }
    horizon = today + datetime.timedelta(days=SOON)
    for task in reminders.tasks(reminders.Scope(today)):
        digest = digests.get(task.email)
        # Overdue or due within the week; open-ended tasks (criteria nobody dated) are
        # shown on the pages only.
        if digest is not None and not task.open_ended and (task.due is None or task.due <= horizon):
            digest.tasks.append(task)
    by_pk = {d.user.pk: d for d in digests.values()}
    for notice in Notice.objects.filter(
        read_at__isnull=True, emailed_at__isnull=True, digested_at__isnull=True
    ).order_by("created_at", "pk"):
        if (digest := by_pk.get(notice.user_id)) is not None:
            digest.notices.append(notice)
    return [d for d in digests.values() if not d.is_empty()]


def render(digest: Digest, today: datetime.date, names: dict[int, str]) -> tuple[str, str]:
    """(subject, body) of one digest, in its person's language."""
    link = reminders.site_url
    with translation.override(digest.language):
        overdue = sum(1 for t in digest.tasks if t.overdue(today))
        tasks = [
            {
                "title": _company_title(t, names),
                "due": t.due,
                "overdue": t.overdue(today),
                "link": link(t.url),
            }
            for t in digest.tasks[:MAX_TASKS]
        ]
        notices = [{"title": n.title, "link": link(n.url) if n.url else ""} for n in digest.notices]
        parts = []
        if overdue:
            parts.append(ngettext("%(n)d overdue", "%(n)d overdue", overdue) % {"n": overdue})
        if len(digest.tasks) > overdue:
            soon = len(digest.tasks) - overdue
            parts.append(ngettext("%(n)d due soon", "%(n)d due soon", soon) % {"n": soon})
        if notices:
            parts.append(
                ngettext("%(n)d new notice", "%(n)d new notices", len(notices))
                % {"n": len(notices)}
            )
        subject = _("OpenCTPAT daily digest: %(summary)s") % {"summary": ", ".join(parts)}
        body = render_to_string(
            "notices/email/digest.txt",
            {
                "tasks": tasks,
                "more_tasks": max(0, len(digest.tasks) - MAX_TASKS),
                "notices": notices,
                "tasks_link": link(reverse("notices:task-list")),
                "inbox_link": link(reverse("notices:inbox")),
                "settings_link": link(reverse("notices:settings")),
            },
        )
    return subject, body


def _company_title(task: reminders.Task, names: dict[int, str]) -> str:
    title = str(task.title)
    name = names.get(task.company_id) if task.company_id else None
    return f"{name}: {title}" if name else title


def send_digest(today: datetime.date | None = None, *, dry_run: bool = False) -> int:
    """Build and send today's digests; returns how many went (or would go)."""
    today = today or timezone.localdate()
    digests = build(today)
    if dry_run or not digests:
        return len(digests)
    names = dict(
        Company.objects.filter(
            pk__in={t.company_id for d in digests for t in d.tasks if t.company_id}
        ).values_list("pk", "legal_name")
    )
    sent = 0
    connection = get_connection()
    for start in range(0, len(digests), CHUNK):
        chunk = digests[start : start + CHUNK]
        with transaction.atomic():
            # Whoever writes the (person, day) row sends that digest; a parallel run skips it.
            rows = [
                DigestSent(user=d.user, day=today, notices=len(d.notices), tasks=len(d.tasks))
                for d in chunk
            ]
            DigestSent.objects.bulk_create(rows, ignore_conflicts=True)
            mine = set(
                DigestSent.objects.filter(
                    day=today, sent_at__isnull=True, user__in=[d.user.pk for d in chunk]
                )
                .select_for_update()
                .values_list("user_id", flat=True)
            )
            chunk = [d for d in chunk if d.user.pk in mine]
            messages = []
            for d in chunk:
                subject, body = render(d, today, names)
                messages.append(
                    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [d.user.email])
                )
            connection.send_messages(messages)
            now = timezone.now()
            DigestSent.objects.filter(day=today, user__in=list(mine)).update(sent_at=now)
            notice_ids = [n.pk for d in chunk for n in d.notices]
            for part in range(0, len(notice_ids), CHUNK):
                Notice.objects.filter(pk__in=notice_ids[part : part + CHUNK]).update(
                    digested_at=now
                )
            sent += len(chunk)
    log.info("digests sent: %d", sent)
    return sent
