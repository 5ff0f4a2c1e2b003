"""CTPAT Trade Compliance: CBP's importer self-assessment program that runs beside CTPAT
security (the former Importer Self-Assessment, folded into CTPAT in March 2020; forced-labor
requirements added in August 2022).

- `TradeComplianceApplication`: the importer's application with its internal-control
  questionnaire, signed by the company officer and decided by the program office;
- `ForcedLaborEvidence`: a file backing one forced-labor requirement (`data/program.toml`);
- `AnnualNotification`: the Annual Notification Letter (ANL) of one year of membership;
- `GrantedBenefit`: a program benefit recorded on the company when it was approved.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel
from core.tenancy import TenantQuerySet
from core.uploads import StoredFile


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


def anniversary(start: datetime.date, years: int) -> datetime.date:
    """`start` moved `years` years on (29 February falls on 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


class TradeComplianceApplication(TenantModel):
    """An importer's application to CTPAT Trade Compliance: its answers to the
    internal-control questionnaire, the officer's signature and the program office's
    decision. A refused application stays on file; the company may apply again."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="trade_compliance_applications",
        verbose_name=_("company"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # {question key: {"answer": "yes" | "no", "explanation": "..."}}
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    statement_sha256 = models.CharField(
        _("SHA-256 of the statement signed"), max_length=64, blank=True
    )
    statement_language = models.CharField(_("language of the statement"), max_length=8, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[TradeComplianceApplication]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("trade compliance application")
        verbose_name_plural = _("trade compliance applications")
        constraints = [
            # One application in play per company; refused ones are history.
            models.UniqueConstraint(
                fields=["company"],
                condition=~Q(status="refused"),
                name="tradecompliance_one_open_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("tradecompliance:overview", args=[self.company_id])

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def anl_due(self, cycle: int) -> datetime.date | None:
        """The due date of the `cycle`-th Annual Notification Letter: the anniversary of
        the approval (our choice: CBP publishes the letter, not its day)."""
        if self.approved_on is None:
            return None
        return anniversary(self.approved_on, cycle)


class ForcedLaborEvidence(StoredFile, TenantModel):
    """A document backing one of the forced-labor requirements (a supply-chain map, the
    code of conduct, training records…), checked on upload like every evidence file."""

    folder = "tradecompliance"

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="forced_labor_evidence",
        verbose_name=_("company"),
    )
    requirement = models.CharField(_("requirement"), max_length=40)
    note = models.TextField(_("note"), blank=True)

    objects: ClassVar[TenantQuerySet[ForcedLaborEvidence]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["requirement", "-uploaded_at"]
        verbose_name = _("forced-labor evidence")
        verbose_name_plural = _("forced-labor evidence")

    def __str__(self) -> str:
        return f"{self.requirement}: {self.original_name}"


class AnnualNotification(TenantModel):
    """The Annual Notification Letter of one membership year: the company confirms it
    still meets the program's requirements and tells CBP what changed."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="annual_notifications",
        verbose_name=_("company"),
    )
    cycle = models.PositiveSmallIntegerField(_("membership year"))
    due_on = models.DateField(_("due on"))
    still_meets_requirements = models.BooleanField(_("still meets the requirements"))
    organisational_changes = models.TextField(_("organisational changes"), blank=True)
    contact_changes = models.TextField(_("changes of contacts"), blank=True)
    self_testing = models.TextField(_("self-testing done this year"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signer_name = models.CharField(_("signer's name"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=200)
    submitted_at = models.DateTimeField(_("submitted at"))

    objects: ClassVar[TenantQuerySet[AnnualNotification]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["company_id", "-cycle"]
        verbose_name = _("annual notification letter")
        verbose_name_plural = _("annual notification letters")
        constraints = [
            models.UniqueConstraint(fields=["company", "cycle"], name="tradecompliance_one_anl")
        ]

    def __str__(self) -> str:
        return f"{self.company} ANL {self.cycle} ({self.due_on})"

    @property
    def on_time(self) -> bool:
        return self.submitted_at.date() <= self.due_on


class GrantedBenefit(TenantModel):
    """A Trade Compliance benefit recorded on the company (`data/program.toml`), from the
    approval of its application."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="trade_compliance_benefits",
        verbose_name=_("company"),
    )
    benefit = models.CharField(_("benefit"), max_length=60)
    application = models.ForeignKey(
        TradeComplianceApplication, on_delete=models.CASCADE, related_name="benefits"
    )
    granted_on = models.DateField(_("granted on"))

    objects: ClassVar[TenantQuerySet[GrantedBenefit]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["company_id", "pk"]
        verbose_name = _("trade compliance benefit")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "benefit"], name="tradecompliance_one_benefit"
            )
        ]

    def __str__(self) -> str:
        return self.benefit

    @property
    def detail(self) -> Any:
        from tradecompliance.catalogue import program

        return program().benefit(self.benefit)
