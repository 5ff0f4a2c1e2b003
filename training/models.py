"""Security training and awareness (MSC 12.x, 7.10) and the security culture program (1.x).

`Course` is a training a company gives, with the MSC criteria it answers, a refresher
period and the security roles that must take it. A `TrainingSession` is one delivery of a
course (date, trainer, topics, materials, sign-in sheet); each attendee gets a
`TrainingRecord` (the individual record, optionally with an on-screen signature and an
effectiveness measure, MSC 12.4). `Retraining` marks a course due again for chosen people
after a procedure change or an incident (MSC 12.2); what falls due is reminded through
`core.reminders` (`training/reminders.py`). `CultureRecord` holds the senior-management
statement of support (1.1), the cross-functional security team (1.2) and the yearly
program review (1.3, 1.4), with `CultureEvidence` files.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.models import Address, Company
from core.models import TenantModel
from core.signatures import SIGNATURE_CHECK
from core.tenancy import TenantQuerySet
from core.uploads import DOCUMENTS, SCANS, RandomUploadTo, UploadCheck
from personnel.models import Employee, SecurityRole, localized

CRITERION_ID = re.compile(r"^\d{1,2}\.\d{1,2}$")
# A signature drawn on screen is a small PNG; anything bigger is not one.


def _same_company(obj: Any, *fields: str) -> dict[str, str]:
    """Errors for related objects that belong to another company than `obj`."""
    errors: dict[str, str] = {}
    for name in fields:
        related = getattr(obj, name, None) if getattr(obj, f"{name}_id", None) else None
        if related is not None and obj.company_id and related.company_id != obj.company_id:
            errors[name] = str(_("Choose one that belongs to this company."))
    return errors


class Course(TenantModel):
    """A security training course and who must take it, tied to the MSC criteria it meets."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="courses")
    code = models.SlugField(_("code"), max_length=50)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    criteria = models.JSONField(
        _("MSC criteria"),
        default=list,
        blank=True,
        help_text=_("Criterion ids separated by commas, e.g. 12.2, 12.10."),
    )
    refresher_months = models.PositiveSmallIntegerField(
        _("refresher every (months)"),
        default=12,
        help_text=_("0 means the course is taken once and never expires."),
    )
    roles = models.ManyToManyField(
        SecurityRole, verbose_name=_("required for roles"), blank=True, related_name="courses"
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("A quiz score at or above this counts as effective training (MSC 12.4)."),
    )
    active = models.BooleanField(pgettext_lazy("in use", "active"), default=True)

    objects: ClassVar[TenantQuerySet[Course]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("course")
        ordering = ["title_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"], name="unique_course_code_per_company"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_en, self.title_es)

    @property
    def description(self) -> str:
        return localized(self.description_en, self.description_es)

    def get_absolute_url(self) -> str:
        return reverse("training:course-detail", args=[self.company_id, self.pk])

    def clean(self) -> None:
        criteria = self.criteria if isinstance(self.criteria, list) else None
        if criteria is None or any(
            not isinstance(c, str) or not CRITERION_ID.match(c) for c in criteria
        ):
            raise ValidationError(
                {"criteria": _("List MSC criterion ids such as 12.2 or 7.10, separated by commas.")}
            )


class TrainingSession(TenantModel):
    """One delivery of a course: when, by whom, what was covered, and its materials."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="training_sessions")
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=200)
    topics = models.TextField(_("topics covered"))
    facility = models.ForeignKey(
        Address,
        verbose_name=_("facility"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sign_in_sheet = models.FileField(
        _("signed attendance sheet"),
        upload_to=RandomUploadTo("training/sheets"),
        blank=True,
        validators=[UploadCheck(SCANS)],
        help_text=_("A scan or photo of the signed sheet: PDF, PNG or JPEG."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects: ClassVar[TenantQuerySet[TrainingSession]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("training session")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.course} — {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("training:session-detail", args=[self.company_id, self.pk])

    def clean(self) -> None:
        errors = _same_company(self, "course", "facility")
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = str(
                _("Record a session once it has taken place; the date is in the future.")
            )
        if errors:
            raise ValidationError(errors)


class SessionMaterial(TenantModel):
    """A file used in a session: slides, handout, quiz."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=RandomUploadTo("training/materials"),
        validators=[UploadCheck(DOCUMENTS)],
        help_text=_("PDF, Office (docx, xlsx, pptx), image or text."),
    )

    objects: ClassVar[TenantQuerySet[SessionMaterial]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("training material")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title or (self.file.name or "").rsplit("/", 1)[-1]


class Observation(models.TextChoices):
    NONE = "", _("Not observed")
    MET = "met", _("Objectives met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class TrainingRecord(TenantModel):
    """That one person completed one course on a date, with how well it worked (MSC 12.1,
    12.4). Linked to the session when the training was a session of ours."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="training_records")
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="records"
    )
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    completed_on = models.DateField(_("completed on"))
    signature = models.FileField(
        _("signature"),
        upload_to=RandomUploadTo("training/signatures"),
        blank=True,
        validators=[SIGNATURE_CHECK],
    )
    quiz_score = models.PositiveSmallIntegerField(
        _("quiz score (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    observation = models.CharField(
        _("observed result"), max_length=10, choices=Observation.choices, blank=True
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[TenantQuerySet[TrainingRecord]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("training record")
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "session"],
                condition=models.Q(session__isnull=False),
                name="one_record_per_attendee",
            )
        ]
        # The matrix's states are read per (person, course) by date (training.matrix).
        indexes = [
            models.Index(
                fields=["employee", "course", "completed_on"], name="record_person_course_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.course} ({self.completed_on})"

    @property
    def measured(self) -> bool:
        return self.quiz_score is not None or bool(self.observation)

    @property
    def effective(self) -> bool | None:
        """Whether the training met its objectives; None when nothing was measured."""
        if self.quiz_score is not None:
            return self.quiz_score >= self.course.pass_mark
        if self.observation:
            return self.observation == Observation.MET
        return None

    def clean(self) -> None:
        errors = _same_company(self, "employee", "course", "session")
        session = self.session if self.session_id else None
        if session is not None and self.course_id and session.course_id != self.course_id:
            errors["course"] = str(_("The record's course must be the session's course."))
        if self.completed_on:
            if session is not None and self.completed_on < session.held_on:
                errors["completed_on"] = str(
                    _("A record cannot be dated before its session (%(date)s).")
                    % {"date": session.held_on.isoformat()}
                )
            elif self.completed_on > timezone.localdate():
                errors["completed_on"] = str(_("The completion date cannot be in the future."))
        if errors:
            raise ValidationError(errors)


class RetrainingTrigger(models.TextChoices):
    PROCEDURE_CHANGE = "procedure_change", _("Procedure change")
    INCIDENT = "incident", _("Security incident or breach")
    EFFECTIVENESS = "effectiveness", _("Training did not meet its objectives")
    OTHER = "other", _("Other")


class Retraining(TenantModel):
    """A demand that people take a course again now (MSC 12.2: after incidents, breaches
    and procedure changes). Open until the person completes the course on or after
    `requested_on`."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="retrainings")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="retrainings")
    trigger = models.CharField(_("reason"), max_length=20, choices=RetrainingTrigger.choices)
    reason = models.CharField(_("details"), max_length=300)
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects: ClassVar[TenantQuerySet[Retraining]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("retraining request")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "employee", "requested_on"], name="one_retraining_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} — {self.employee} ({self.requested_on})"


class CultureKind(models.TextChoices):
    STATEMENT = "statement", _("Senior-management statement of support")
    TEAM = "team", _("Cross-functional security team")
    REVIEW = "review", _("Yearly security program review")


CULTURE_CRITERIA: dict[str, tuple[str, ...]] = {
    CultureKind.STATEMENT: ("1.1",),
    CultureKind.TEAM: ("1.2",),
    CultureKind.REVIEW: ("1.3", "1.4"),
}


class CultureRecord(TenantModel):
    """A dated record of management support for the security program (MSC 1.1–1.4):
    the signed statement, the security team's make-up, or the yearly review."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="culture_records")
    kind = models.CharField(_("type"), max_length=20, choices=CultureKind.choices)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    dated = models.DateField(_("date"))
    people = models.TextField(
        _("people"),
        help_text=_("Who signed, the team members and their departments, or who took part."),
    )
    summary = models.TextField(_("summary"), blank=True)
    next_review = models.DateField(_("next review due"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[CultureRecord]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("security culture record")
        ordering = ["-dated", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.dated})"

    def get_absolute_url(self) -> str:
        return reverse("training:culture-detail", args=[self.company_id, self.pk])

    @property
    def criteria(self) -> tuple[str, ...]:
        return CULTURE_CRITERIA.get(self.kind, ())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.dated and self.dated > timezone.localdate():
            errors["dated"] = str(_("The date cannot be in the future."))
        if self.next_review and self.dated and self.next_review <= self.dated:
            errors["next_review"] = str(_("The next review must come after the record's date."))
        if errors:
            raise ValidationError(errors)


class CultureEvidence(TenantModel):
    """A file that proves a culture record: the signed statement, minutes, a photo of the
    posted statement."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(CultureRecord, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=RandomUploadTo("training/culture"),
        validators=[UploadCheck(DOCUMENTS)],
        help_text=_("PDF, Office (docx, xlsx, pptx), image or text."),
    )

    objects: ClassVar[TenantQuerySet[CultureEvidence]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("culture evidence")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or (self.file.name or "").rsplit("/", 1)[-1]
