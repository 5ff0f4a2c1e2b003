"""The member account's certification: its lifecycle state, the event history, and the
program office's review records (vetting, per-criterion profile review, validation report,
appeals). Only `certification/workflow.py` changes `Certification.status`."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification import clocks
from certification.choices import (
    Actor,
    AppealKind,
    AppealOutcome,
    Finding,
    Observation,
    Outcome,
    ReportStatus,
    State,
    SuspensionReason,
    VettingItem,
)
from companies.models import Company
from core.models import TenantModel
from core.tenancy import TenantQuerySet
from core.uploads import StoredFile


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


class CertificationQuerySet(TenantQuerySet["Certification"]):
    def in_review_queue(self) -> CertificationQuerySet:
        return self.filter(status__in=[State.APPLIED, State.UNDER_REVIEW])


class Certification(TenantModel):
    """A company's CTPAT membership as the program office manages it: applied, under
    review, certified (tier 1), validated (tier 2 or 3), suspended, removed… The dates
    stamped by the transitions drive every clock (SLA, validation, revalidation, appeals)."""

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="certification", verbose_name=_("company")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    tier = models.PositiveSmallIntegerField(_("tier"), null=True, blank=True)
    # The state and tier a suspension interrupted; reinstatement returns to them.
    prior_status = models.CharField(max_length=20, choices=State.choices, blank=True)
    prior_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned specialist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    certified_at = models.DateTimeField(_("certified"), null=True, blank=True)
    last_validated_at = models.DateTimeField(_("last validated"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    suspension_reason = models.CharField(
        _("suspension reason"), max_length=30, choices=SuspensionReason.choices, blank=True
    )
    suspension_response = models.TextField(_("response to the suspension"), blank=True)
    suspension_response_at = models.DateTimeField(null=True, blank=True)
    corrective_action_plan = models.TextField(_("corrective action plan"), blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    objects: ClassVar[CertificationQuerySet] = CertificationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["applied_at", "pk"]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("certification:certification-detail", args=[self.pk])

    # Clocks. Each answers None while the clock has not started.
    def certification_due(self) -> datetime.date | None:
        applied = _day(self.applied_at)
        return clocks.certification_due(applied) if applied else None

    def validation_due(self) -> datetime.date | None:
        if self.last_validated_at:
            return clocks.revalidation_due(_day(self.last_validated_at))  # type: ignore[arg-type]
        certified = _day(self.certified_at)
        return clocks.validation_due(certified) if certified else None

    def suspension_response_due(self) -> datetime.date | None:
        suspended = _day(self.suspended_at)
        if self.status != State.SUSPENDED or suspended is None:
            return None
        return clocks.suspension_response_due(suspended)

    def reapply_allowed_from(self) -> datetime.date | None:
        removed = _day(self.removed_at)
        return clocks.reapply_allowed_from(removed) if removed else None

    def sla_breached(self, today: datetime.date | None = None) -> bool:
        due = self.certification_due()
        in_review = self.status in (State.APPLIED, State.UNDER_REVIEW)
        return bool(in_review and due and (today or timezone.localdate()) > due)


class CertificationEvent(TenantModel):
    """One lifecycle transition: from which state to which, by whom, why and when."""

    tenant_field = "certification__company"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="events"
    )
    transition = models.CharField(_("transition"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=State.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(_("as"), max_length=20, choices=Actor.choices)
    reason = models.TextField(_("reason"), blank=True)

    objects: ClassVar[TenantQuerySet[CertificationEvent]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("certification event")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_status} → {self.to_status}"


class VettingCheck(TenantModel):
    """One item of the vetting checklist run before certification, with its outcome; a
    supervisor may override a failed item with a written reason."""

    tenant_field = "certification__company"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="vetting"
    )
    item = models.CharField(_("item"), max_length=30, choices=VettingItem.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(_("override reason"), blank=True)
    # List screening only: each screened name (legal name, DBA, officers) with its best
    # hits, and the list versions screened against, as evidence of what was checked.
    screening_results = models.JSONField(_("screening results"), default=list, blank=True)
    list_versions = models.JSONField(_("list versions"), default=list, blank=True)
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[VettingCheck]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("vetting check")
        ordering = ["certification_id", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "item"], name="one_vetting_check_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.get_outcome_display()}"

    @property
    def cleared(self) -> bool:
        return self.outcome == Outcome.PASSED or bool(self.override_by_id)

    @property
    def screening_alerts(self) -> int:
        """How many screened names have a hit at or above the engine's threshold."""
        return sum(1 for r in self.screening_results if any(h["alert"] for h in r["hits"]))


class CriterionReview(TenantModel):
    """The specialist's decision on one criterion of the security profile (accept, or
    reject with a comment), and the member's answer to a rejection."""

    tenant_field = "certification__company"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="criterion_reviews"
    )
    criterion = models.ForeignKey(
        "catalogue.Criterion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("criterion"),
    )
    accepted = models.BooleanField(_("accepted"))
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # The member's note is a draft until the response is sent (responded_at stamped); a
    # new rejection clears both, an acceptance keeps them as the record of what changed.
    member_response = models.TextField(_("member's response"), blank=True)
    responded_at = models.DateTimeField(_("response sent"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[CriterionReview]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("criterion review")
        ordering = ["certification_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "criterion"], name="one_review_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {'accepted' if self.accepted else 'rejected'}"

    @property
    def awaiting_member(self) -> bool:
        """Rejected and not yet answered: the member's move."""
        return not self.accepted and self.responded_at is None

    @property
    def awaiting_rereview(self) -> bool:
        """Rejected and answered: the specialist's move."""
        return not self.accepted and self.responded_at is not None


class ValidationReport(TenantModel):
    """The validation report: drafted by a specialist, approved or returned by a
    supervisor who is not its author (maker-checker); its tier outcome closes the
    validation."""

    tenant_field = "certification__company"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="validation_reports"
    )
    with_visit = models.BooleanField(_("with a site visit"), default=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    sites = models.TextField(_("sites visited"), blank=True)
    team = models.TextField(
        _("team"), blank=True, help_text=_("Lead and additional specialists, company attendees.")
    )
    summary = models.TextField(_("executive summary"))
    required_actions = models.TextField(_("required actions"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    tier_outcome = models.PositiveSmallIntegerField(_("tier outcome"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("supervisor's note"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    member_response = models.TextField(_("member's response to the required actions"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_accepted_at = models.DateTimeField(_("response accepted"), null=True, blank=True)
    # Stamped by the "validate" transition this report closed: an approved report closes
    # one validation, once (no comparison of clocks decides it).
    closed_at = models.DateTimeField(_("validation closed"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[ValidationReport]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("validation report")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.certification} — {self.get_status_display()}"

    def clean(self) -> None:
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("The end must be on or after the start.")})

    def response_due(self) -> datetime.date | None:
        """When the member must answer the required actions (from the report's approval)."""
        if self.status != ReportStatus.APPROVED or not self.required_actions or not self.decided_at:
            return None
        return clocks.validation_response_due(timezone.localdate(self.decided_at))


class WorksheetEntry(TenantModel):
    """One row of a validation's worksheet: what the team observed of one MSC criterion
    of the member's business type, a note, and the finding it leads to. At submission the
    required actions and recommendations of the worksheet become the report's findings."""

    tenant_field = "report__certification__company"

    report = models.ForeignKey(ValidationReport, on_delete=models.CASCADE, related_name="worksheet")
    criterion = models.ForeignKey(
        "catalogue.Criterion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("criterion"),
    )
    observation = models.CharField(_("observation"), max_length=20, choices=Observation.choices)
    note = models.TextField(_("note"), blank=True)
    finding = models.CharField(
        _("finding"), max_length=20, choices=Finding.choices, default=Finding.NONE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[TenantQuerySet[WorksheetEntry]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("worksheet entry")
        verbose_name_plural = _("worksheet entries")
        ordering = ["report_id", "criterion__category_number", "criterion__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "criterion"], name="one_worksheet_entry_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.observation} / {self.finding}"


class Appeal(TenantModel):
    """A member's appeal against a suspension, removal or denial of benefits, filed within
    its window (90 or 30 days) and to be decided within 180 days (6 U.S.C. 967)."""

    tenant_field = "certification__company"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="appeals"
    )
    appealed_event = models.ForeignKey(
        CertificationEvent, on_delete=models.PROTECT, related_name="appeals"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AppealKind.choices)
    grounds = models.TextField(_("grounds"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[TenantQuerySet[Appeal]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("appeal")
        ordering = ["filed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["appealed_event"], name="one_appeal_per_decision")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_outcome_display()})"

    def decision_due(self) -> datetime.date:
        return clocks.appeal_decision_due(timezone.localdate(self.filed_at))

    def decision_overdue(self, today: datetime.date | None = None) -> bool:
        pending = self.outcome == AppealOutcome.PENDING
        return pending and (today or timezone.localdate()) > self.decision_due()


class DocumentSide(models.TextChoices):
    MEMBER = "member", _("Member")
    OFFICE = "office", _("Program office")


class CaseDocument(StoredFile, TenantModel):
    """A document exchanged on the case between the member and the program office (the
    portal's Partner Document Exchange): either side uploads, each upload of the same
    title is a new version, the file type is checked by content on upload."""

    tenant_field = "certification__company"
    folder = "certification/documents"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    side = models.CharField(_("from"), max_length=10, choices=DocumentSide.choices)
    note = models.TextField(_("note"), blank=True)

    objects: ClassVar[TenantQuerySet[CaseDocument]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("case document")
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "title", "version"], name="one_case_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
