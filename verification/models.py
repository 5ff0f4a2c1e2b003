"""Status verification (the portal's SVI): a member's signed consent to be found, the
monitoring requests between members, and the notices sent when a monitored partner's
status changes."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.models import TenantModel
from core.tenancy import TenantQuerySet


class Consent(TenantModel):
    """The company officer's signed consent to join status verification: other members
    may find the company by name, see its status and tier, and look it up by account number."""

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="svi_consent", verbose_name=_("company")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("full name"), max_length=200)
    signer_title = models.CharField(_("title"), max_length=200)
    signed_at = models.DateTimeField(_("signed"))
    auto_accept = models.BooleanField(_("accept monitoring requests automatically"), default=False)

    objects: ClassVar[TenantQuerySet[Consent]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("status verification consent")

    def __str__(self) -> str:
        return f"{self.company} ({self.signed_at:%Y-%m-%d})"


class MonitoringRequest(TenantModel):
    """One member's request to monitor another's status; the partner accepts or rejects
    (or accepts automatically when its setting says so)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    tenant_field = "requester"

    requester = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="monitoring_sent")
    partner = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="monitoring_received",
        verbose_name=_("partner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[TenantQuerySet[MonitoringRequest]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("monitoring request")
        ordering = ["partner__legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "partner"], name="one_request_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.partner} ({self.status})"


class StatusNotice(TenantModel):
    """A note to a monitoring company that a partner's status or tier changed."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="status_notices")
    partner = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("new status"), max_length=20)
    tier = models.PositiveSmallIntegerField(_("tier"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[StatusNotice]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("status notice")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.status}"
