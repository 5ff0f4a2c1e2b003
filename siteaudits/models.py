"""Supplier site audits: the visits ("factory audits") a member makes to a business
partner's facility to check on the spot that the partner meets the CTPAT Minimum Security
Criteria (MSC 3.x asks members to verify their partners; an on-site visit is the strongest
way).

An audit is planned for one partner, with a checklist frozen when it is planned: the MSC
criteria that apply to the partner's business type (with their Spanish wording), or the
member's own checklist. On site the auditor records each item (met, not met, not
applicable), the severity of what is not met, notes and photos. Completing the audit raises
one corrective action per item not met; the partner answers them through a link without an
account (`/sa/<token>/`), whose SHA-256 alone is stored.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import CorrectiveAction
from companies.models import Company
from core.models import TenantModel
from core.tenancy import TenantQuerySet
from core.uploads import StoredFile
from partners.models import BusinessPartner, Tier
from siteaudits.choices import (
    AuditStatus,
    ChecklistSource,
    ItemResult,
    ReportLanguage,
    Severity,
)

MAX_OWN_ITEMS = 200


class OwnChecklist(TenantModel):
    """A checklist the member wrote itself for its site audits (instead of the MSC list):
    `items` is a list of {"ref", "text", "text_es"}; `ref` may name the MSC criterion the
    item backs ("3.5") or be empty."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(gettext_lazy("name"), max_length=200)
    items = models.JSONField(gettext_lazy("items"), default=list)

    objects: ClassVar[TenantQuerySet[OwnChecklist]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("site audit checklist")
        ordering = ["company_id", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.items:
            raise ValidationError({"items": _("Write at least one item.")})
        if len(self.items) > MAX_OWN_ITEMS:
            raise ValidationError(
                {"items": _("At most %(n)d items per checklist.") % {"n": MAX_OWN_ITEMS}}
            )


class SiteAudit(TenantModel):
    """One visit to a business partner's facility, from plan to report."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="site_audits")
    partner = models.ForeignKey(
        BusinessPartner,
        verbose_name=gettext_lazy("business partner"),
        on_delete=models.PROTECT,
        related_name="site_audits",
    )
    planned_on = models.DateField(gettext_lazy("visit date"))
    site = models.CharField(
        gettext_lazy("facility visited"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Address or name of the plant, if not the partner's address."),
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("auditor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(
        gettext_lazy("checklist"),
        max_length=10,
        choices=ChecklistSource.choices,
        default=ChecklistSource.MSC,
    )
    own_checklist = models.ForeignKey(
        OwnChecklist,
        verbose_name=gettext_lazy("own checklist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    catalogue = models.ForeignKey(
        "catalogue.Catalogue", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    business_type = models.CharField(gettext_lazy("business type audited"), max_length=40)
    tier = models.CharField(
        gettext_lazy("criticality tier at planning"), max_length=10, choices=Tier.choices
    )
    language = models.CharField(
        gettext_lazy("report language"),
        max_length=2,
        choices=ReportLanguage.choices,
        default=ReportLanguage.ENGLISH,
    )
    status = models.CharField(
        gettext_lazy("status"),
        max_length=20,
        choices=AuditStatus.choices,
        default=AuditStatus.PLANNED,
    )
    summary = models.TextField(gettext_lazy("summary"), blank=True)
    completed_at = models.DateTimeField(gettext_lazy("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    # The partner's link to answer the corrective actions: only its SHA-256 is kept.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    link_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[TenantQuerySet[SiteAudit]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("supplier site audit")
        ordering = ["company_id", "-planned_on", "-pk"]

    def __str__(self) -> str:
        return _("%(partner)s, %(day)s") % {"partner": self.partner.name, "day": self.planned_on}

    def get_absolute_url(self) -> str:
        return reverse("siteaudits:audit-detail", args=[self.company_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != AuditStatus.COMPLETED

    @property
    def completed_on(self) -> datetime.date | None:
        from django.utils import timezone

        return timezone.localdate(self.completed_at) if self.completed_at else None


class AuditItem(TenantModel):
    """One line of the audit's checklist and what the auditor found on site."""

    tenant_field = "audit__company"

    audit = models.ForeignKey(SiteAudit, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    ref = models.CharField(gettext_lazy("MSC criterion"), max_length=10, blank=True)
    text = models.TextField(gettext_lazy("item"))
    text_es = models.TextField(gettext_lazy("item (Spanish)"), blank=True)
    result = models.CharField(
        gettext_lazy("result"), max_length=10, choices=ItemResult.choices, blank=True
    )
    severity = models.CharField(
        gettext_lazy("severity"), max_length=10, choices=Severity.choices, blank=True
    )
    notes = models.TextField(gettext_lazy("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    objects: ClassVar[TenantQuerySet[AuditItem]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("site audit item")
        ordering = ["audit_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "position"], name="one_item_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}".strip()

    def get_absolute_url(self) -> str:
        return f"{self.audit.get_absolute_url()}#item-{self.pk}"

    def text_in(self, language: str) -> str:
        return self.text_es if language == "es" and self.text_es else self.text


class ItemPhoto(StoredFile, TenantModel):
    """A photo taken on site as support for an item."""

    tenant_field = "item__audit__company"
    folder = "siteaudits"

    item = models.ForeignKey(AuditItem, on_delete=models.CASCADE, related_name="photos")

    objects: ClassVar[TenantQuerySet[ItemPhoto]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("site audit photo")
        ordering = ["item_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class PartnerReply(TenantModel):
    """What the partner answered, through its link, about one corrective action."""

    tenant_field = "audit__company"

    audit = models.ForeignKey(SiteAudit, on_delete=models.CASCADE, related_name="replies")
    action = models.ForeignKey(
        CorrectiveAction, on_delete=models.CASCADE, related_name="site_audit_replies"
    )
    name = models.CharField(gettext_lazy("answered by"), max_length=200)
    text = models.TextField(gettext_lazy("what the partner did or will do"))
    done_by = models.DateField(gettext_lazy("to be done by"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[PartnerReply]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("partner's reply")
        ordering = ["action_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:60]}"
