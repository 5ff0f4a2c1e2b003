"""Emitting and reading notices: `notify()` is the one call an app makes when something
happened that people must know; the inbox pages mark them read.

An app calls `notify()` at the end of its workflow function (or from a receiver of a
signal it already sends, such as `certification.signals.status_changed`), inside the
transaction of the step: the notices commit or roll back with it, and their e-mails are
queued once it commits. Texts are lazy strings with `%(name)s` placeholders; each person
gets them in their own language:

    notify(
        "questionnaire_submitted",
        f"{questionnaire.pk}:{questionnaire.submitted_at:%Y%m%d%H%M%S}",
        company=questionnaire.company,
        title=gettext_lazy("%(partner)s submitted its security questionnaire"),
        params={"partner": partner.name},
        url=questionnaire.get_absolute_url(),
    )

The key names the object and the step; the same (kind, key) reaches a person once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django_stubs_ext import StrOrPromise

from companies.models import Company, Membership
from notices.models import Notice, NoticeSettings

# Who hears of a company's events unless the app names people: those who answer for it.
MANAGER_ROLES = ("officer", "admin")


def _text(text: StrOrPromise, params: Mapping[str, Any]) -> str:
    # Placeholders are filled after translation, so a lazy value (a choice's label) is
    # translated too.
    text = str(text)
    if not params:
        return text
    return text % {k: str(v) for k, v in params.items()}


def recipients(company: Company | None, roles: Iterable[str] = MANAGER_ROLES) -> list[Any]:
    """The active people of `company` holding one of `roles`."""
    if company is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(company=company, role__in=list(roles)).values(
                "user_id"
            ),
        )
        .order_by("pk")
    )


def notify(
    kind: str,
    key: str,
    *,
    title: StrOrPromise,
    url: str = "",
    company: Company | None = None,
    users: Iterable[Any] | None = None,
    roles: Iterable[str] = MANAGER_ROLES,
    params: Mapping[str, Any] | None = None,
    body: StrOrPromise = "",
    email: bool = True,
) -> list[Notice]:
    """Tell people that something happened: one notice each in their inbox and, unless
    they turned it off (or `email=False`: the step sends its own), one e-mail each.

    `users` defaults to the company's people with one of `roles` (officers and
    administrators). A person who already has this (kind, key) gets nothing new. Returns
    the notices written now."""
    people = list(users) if users is not None else recipients(company, roles)
    people = [p for p in people if getattr(p, "is_active", True)]
    if not people:
        return []
    already = set(
        Notice.objects.filter(kind=kind, key=key, user__in=people).values_list("user_id", flat=True)
    )
    people = [p for p in people if p.pk not in already]
    if not people:
        return []
    wanted = {s.user_id: s for s in NoticeSettings.objects.filter(user__in=people)}
    company_language = company.language if company is not None else ""
    values = dict(params or {})
    rows = []
    for person in people:
        own = wanted.get(person.pk)
        language = (own.language if own else "") or company_language or "en"
        with translation.override(language):
            rows.append(
                Notice(
                    user=person,
                    kind=kind[:40],
                    key=key[:200],
                    company=company,
                    title=_text(title, values)[:300],
                    body=_text(body, values) if body else "",
                    url=url[:500],
                    language=language,
                )
            )
    with transaction.atomic():
        Notice.objects.bulk_create(rows, ignore_conflicts=True)
        written = list(
            Notice.objects.filter(kind=kind, key=key, user__in=people, emailed_at__isnull=True)
        )
        to_mail = [n.pk for n in written if email and _wants_email(wanted.get(n.user_id))]
        if to_mail:
            transaction.on_commit(_enqueue(to_mail))
    return written


def _wants_email(own: NoticeSettings | None) -> bool:
    return own is None or own.email


def _enqueue(ids: list[int]) -> Any:
    # Imported here: a task module imported while apps load would fix the tasks backend
    # before the settings (the test run's) are final.
    from notices.mail import send_notice_emails

    return lambda: send_notice_emails.enqueue(ids)


def mark_read(notice: Notice) -> Notice:
    """The person opened the notice (only theirs reach here: the page looks it up by user)."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def mark_all_read(user: Any) -> int:
    """Every unread notice of `user` is read now; returns how many."""
    return Notice.objects.filter(user=user).unread().update(read_at=timezone.now())


def settings_for(user: Any) -> NoticeSettings:
    """The person's settings, the defaults (both e-mails on) when never saved."""
    return NoticeSettings.objects.filter(user=user).first() or NoticeSettings(user=user)


def save_settings(user: Any, *, email: bool, digest: bool, language: str = "") -> NoticeSettings:
    own, _created = NoticeSettings.objects.update_or_create(
        user=user, defaults={"email": email, "digest": digest, "language": language}
    )
    return own
