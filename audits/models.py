"""Mock audits: a consultant or an internal auditor walks the security profile as a
checklist before CBP's validation does, criterion by criterion (pass, fail or observation,
with notes and photos). Completing the audit turns every failure and observation into a
corrective action (actions app) with an owner and a due date.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.choices import AuditKind, AuditStatus, FindingResult
from catalogue.models import Criterion
from companies.models import Company
from core.models import TenantModel
from core.tenancy import TenantQuerySet
from core.uploads import StoredFile
from profiles.models import SecurityProfile


class MockAudit(TenantModel):
    """One walk through the company's security profile by an auditor: a mock validation or
    a self-assessment."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="mock_audits")
    profile = models.ForeignKey(
        SecurityProfile, on_delete=models.PROTECT, related_name="mock_audits"
    )
    title = models.CharField(gettext_lazy("title"), max_length=200)
    kind = models.CharField(
        gettext_lazy("kind"), max_length=20, choices=AuditKind.choices, default=AuditKind.INTERNAL
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("auditor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        gettext_lazy("status"),
        max_length=20,
        choices=AuditStatus.choices,
        default=AuditStatus.IN_PROGRESS,
    )
    summary = models.TextField(gettext_lazy("summary"), blank=True)
    completed_at = models.DateTimeField(gettext_lazy("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[TenantQuerySet[MockAudit]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("mock audit")
        ordering = ["company_id", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:audit-detail", args=[self.company_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == AuditStatus.IN_PROGRESS


class Finding(TenantModel):
    """The auditor's result for one criterion: pass, fail or observation, with notes.

    ("Finding" in the ISO 19011 sense: the result of checking evidence against a
    criterion, conforming or not.)"""

    tenant_field = "audit__company"

    audit = models.ForeignKey(MockAudit, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=gettext_lazy("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField(
        gettext_lazy("result"), max_length=20, choices=FindingResult.choices, blank=True
    )
    notes = models.TextField(gettext_lazy("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[TenantQuerySet[Finding]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("audit finding")
        ordering = ["audit_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "criterion"], name="one_finding_per_criterion")
        ]

    def __str__(self) -> str:
        return _("%(audit)s — %(ref)s: %(result)s") % {
            "audit": self.audit.title,
            "ref": self.criterion.ref_id,
            "result": self.get_result_display(),
        }

    def get_absolute_url(self) -> str:
        return f"{self.audit.get_absolute_url()}#criterion-{self.criterion_id}"

    @property
    def needs_action(self) -> bool:
        return self.result in (FindingResult.FAIL, FindingResult.OBSERVATION)


class FindingPhoto(StoredFile, TenantModel):
    """A photo (or scanned document) the auditor took as support for a finding."""

    tenant_field = "finding__audit__company"
    folder = "audits"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")

    objects: ClassVar[TenantQuerySet[FindingPhoto]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("finding photo")
        ordering = ["finding_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
