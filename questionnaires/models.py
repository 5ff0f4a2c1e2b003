"""Security questionnaires a member sends to its business partners (MSC 3.5, 3.6).

MSC 3.5 asks the member to confirm, through visits, questionnaires or similar, that the
partners it outsources supply-chain work to meet the CTPAT criteria; 3.6 asks it to have the
weaknesses found fixed and the fixes proven. A `Questionnaire` is one such assessment of one
partner: the member sends it to a contact e-mail as a magic link (no account needed), one or
several people at the partner answer it (`Answer`, each stamped with who answered, with
optional `AnswerEvidence` files), and once submitted it is locked, scored and its weak
answers become corrective actions.

The questions themselves are data (`questionnaires/data/*.toml`, loaded by
`questionnaires.templates`), keyed by the partner's role; an answer keeps the question's ID
and the MSC criterion it cites, so old answers stay readable when the questions change.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel
from core.tenancy import TenantQuerySet
from core.uploads import StoredFile
from questionnaires import builder
from questionnaires.question_sets import QuestionSet, bank

DEFAULT_VALID_DAYS = 30


def hash_token(token: str) -> str:
    """The form a link token is stored in: the link itself is never kept."""
    return hashlib.sha256(token.encode()).hexdigest()


class Status(models.TextChoices):
    SENT = "sent", _("Sent")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    REVOKED = "revoked", _("Link revoked")


AWAITING = (Status.SENT, Status.IN_PROGRESS)


class Language(models.TextChoices):
    EN = "en", "English"
    ES = "es", "Español"


class MemberQuestionSet(TenantModel):
    """A member's own question set (edited copy of a shipped set, or written from
    scratch). `draft` is the document being edited, in the canonical shape of
    `questionnaires.builder`; partners are only ever sent a published `QuestionSetVersion`,
    so editing the draft changes no questionnaire already out."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="question_sets"
    )
    key = models.SlugField(_("key"), max_length=40)
    draft = models.JSONField(_("draft"), default=dict)
    based_on = models.CharField(_("copied from"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[TenantQuerySet[MemberQuestionSet]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["key"]
        verbose_name = _("member's question set")
        constraints = [
            models.UniqueConstraint(fields=["company", "key"], name="unique_question_set_key")
        ]

    def __str__(self) -> str:
        return self.title()

    def get_absolute_url(self) -> str:
        return reverse("questionnaires:set-detail", args=[self.company_id, self.pk])

    def draft_set(self) -> QuestionSet:
        return builder.build(self.draft, version="draft")

    def title(self, language: str | None = None) -> str:
        return self.draft_set().title(language) if self.draft else self.key

    @property
    def roles(self) -> list[str]:
        return list(next(iter(self.draft["template"].values())).get("roles", []))

    def latest(self) -> QuestionSetVersion | None:
        return self.versions.order_by("-number").first()


class QuestionSetVersion(TenantModel):
    """One published, frozen version of a member's set: what questionnaires are sent with."""

    tenant_field = "question_set__company"

    question_set = models.ForeignKey(
        MemberQuestionSet, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("questions"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    objects: ClassVar[TenantQuerySet[QuestionSetVersion]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["question_set_id", "-number"]
        verbose_name = _("question set version")
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "number"], name="unique_question_set_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_set.key} v{self.number}"

    def questions(self) -> QuestionSet:
        return builder.build(self.content, version=str(self.number))


class QuestionnaireQuerySet(TenantQuerySet["Questionnaire"]):
    def awaiting(self) -> QuestionnaireQuerySet:
        """Sent and not yet submitted (the link not revoked)."""
        return self.filter(status__in=AWAITING)

    def overdue(self, now: datetime.datetime | None = None) -> QuestionnaireQuerySet:
        """Awaiting answers after the link's expiry: the partner missed the deadline."""
        return self.awaiting().filter(expires_at__lt=now or timezone.now())

    def submitted(self) -> QuestionnaireQuerySet:
        return self.filter(status=Status.SUBMITTED)

    def to_review(self) -> QuestionnaireQuerySet:
        """Submitted and not yet reviewed by the member."""
        return self.submitted().filter(reviewed_at__isnull=True)


class Questionnaire(TenantModel):
    """One security questionnaire sent to one business partner, with its magic link."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="questionnaires"
    )
    partner = models.ForeignKey(
        "partners.BusinessPartner",
        on_delete=models.CASCADE,
        related_name="questionnaires",
        verbose_name=_("business partner"),
    )
    template_key = models.CharField(_("question set"), max_length=40)
    # A member's own set: the exact published version sent (empty for a shipped set).
    set_version = models.ForeignKey(
        QuestionSetVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("member's question set version"),
    )
    template_version = models.CharField(_("question set version"), max_length=20)
    # The partner's role when it was sent: the questions that name roles are chosen by it,
    # so changing the partner's role later does not change a questionnaire already out.
    partner_role = models.CharField(_("partner role"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Leave empty to follow the language of the partner's browser."),
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SENT
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by_name = models.CharField(_("submitted by"), max_length=200, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    band = models.CharField(_("band"), max_length=10, blank=True)
    # The member read the submitted answers (`workflow.mark_reviewed`): until then the
    # questionnaire waits on whoever sent it (`questionnaires.reminders`).
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    objects: ClassVar[QuestionnaireQuerySet] = QuestionnaireQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("partner questionnaire")
        verbose_name_plural = _("partner questionnaires")
        indexes = [models.Index(fields=["partner", "status"])]

    def question_set(self) -> QuestionSet:
        """The questions this questionnaire asks: its set narrowed to the partner's role
        when it was sent (for a member's set, the version it was sent with)."""
        if self.set_version_id is not None:
            cached: QuestionSet | None = getattr(self, "_asked", None)
            if cached is None:
                cached = self.set_version.questions().for_role(self.partner_role)  # type: ignore[union-attr]
                self._asked = cached
            return cached
        found = bank().asked(self.template_key, self.partner_role)
        if found is None:
            raise KeyError(self.template_key)
        return found

    def __str__(self) -> str:
        return f"{self.partner.name} ({self.sent_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("questionnaires:questionnaire-detail", args=[self.company_id, self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.REVOKED)

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.status in AWAITING and self.expires_at < (now or timezone.now())

    def link_is_open(self, now: datetime.datetime | None = None) -> bool:
        """Whether the partner's link still opens the questionnaire."""
        return self.status != Status.REVOKED and self.expires_at >= (now or timezone.now())

    def display_status(self) -> str:
        if self.is_overdue():
            return str(_("Overdue"))
        return str(self.get_status_display())


class Answer(TenantModel):
    """A partner's answer to one question, with who gave it."""

    tenant_field = "questionnaire__company"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers"
    )
    question_id = models.CharField(_("question"), max_length=40)
    criterion_ref = models.CharField(_("MSC criterion"), max_length=10)
    # The chosen answer's key (a choice question) or empty; `value` holds the answer of a
    # multiple choice (keys separated by commas), date, number, text or file question.
    option = models.CharField(_("answer"), max_length=20, blank=True)
    value = models.TextField(_("value"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_by = models.CharField(_("answered by"), max_length=200)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    from_last_year = models.BooleanField(_("taken from last year"), default=False)

    objects: ClassVar[TenantQuerySet[Answer]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["questionnaire_id", "pk"]
        verbose_name = _("questionnaire answer")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "question_id"], name="unique_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.raw}"

    @property
    def raw(self) -> str:
        """The answer as stored: the choice key, or the value of other kinds."""
        return self.option or self.value

    def get_absolute_url(self) -> str:
        return self.questionnaire.get_absolute_url() + f"#q-{self.question_id}"


class AnswerEvidence(StoredFile, TenantModel):
    """A file the partner attached to an answer (a procedure, a photo, a certificate)."""

    tenant_field = "answer__questionnaire__company"
    folder = "questionnaires"

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    uploaded_by_name = models.CharField(_("uploaded by"), max_length=200)

    objects: ClassVar[TenantQuerySet[AnswerEvidence]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["answer_id", "uploaded_at"]
        verbose_name = _("questionnaire evidence")

    def __str__(self) -> str:
        return self.original_name
