"""Notices: what happened that a person should know (a criterion rejected, the company
certified, a questionnaire submitted…), kept per person in an inbox, e-mailed once, and
summed up in a daily digest with the person's tasks (`core.reminders.tasks_for`).

A notice belongs to one person, not to a company: it is not a `TenantModel`. Its title,
body and link are fixed in the person's language when it is written, so the inbox, the
e-mail and the digest need no app's code. The unique (user, kind, key) is what keeps the
same notice from reaching anyone twice, however often an app emits it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models import Company


class NoticeQuerySet(models.QuerySet["Notice"]):
    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One event told to one person: what (`kind` + `key`, the key naming the object and
    the step, "12:certified:2026-03-01"), about which company, and the page that resolves
    it. `read_at`, `emailed_at` and `digested_at` say where it has been shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("about"), max_length=200)
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("details"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    digested_at = models.DateTimeField(_("in a digest"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="one_notice_per_person")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notice_inbox"),
            models.Index(fields=["user", "read_at"], name="notice_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.user_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NoticeSettings(models.Model):
    """How one person wants to hear of notices: an e-mail for each, a daily digest, and
    the language they are written in (empty: the company's preferred language). Without
    a row, both e-mails are on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notice_settings",
    )
    email = models.BooleanField(
        _("e-mail me each notice"),
        default=True,
        help_text=_("One e-mail per event, with a link to the page that resolves it."),
    )
    digest = models.BooleanField(
        _("send me a daily digest"),
        default=True,
        help_text=_(
            "One e-mail a day with what is overdue or due soon and the notices not yet e-mailed."
        ),
    )
    language = models.CharField(
        _("language of notices and e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the company's preferred language."),
    )

    class Meta:
        verbose_name = _("notice settings")
        verbose_name_plural = _("notice settings")

    def __str__(self) -> str:
        return str(self.user_id)


class DigestSent(models.Model):
    """One daily digest for one person on one day; the unique (user, day) keeps a second
    run the same day, or on a second machine, from sending it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    notices = models.PositiveIntegerField(_("notices"), default=0)
    tasks = models.PositiveIntegerField(_("tasks"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest sent")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
