"""Profile sharing ("answer once, share with many"): a member company (the customer)
asks another member (the sharer, usually one of its business partners) for a summary of
its security profile; the sharer's officer or administrator consents with a scope, may
set an expiry date and may revoke at any time. Every view of the summary is logged.

- `Share`: one request and, once accepted, the consent it became (who decided, when,
  which parts, until when) and its revocation.
- `ShareView`: one row each time someone opened the shared summary (page, PDF or API).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.models import TenantModel
from core.tenancy import PROGRAM_OFFICE_ACTIONS, TenantQuerySet, company_ids_for, roles_allowing

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Part(models.TextChoices):
    """The parts of the security profile a sharer may include in the summary."""

    STATUS = "status", _("Certification status and tier")
    READINESS = "readiness", _("Readiness per MSC category (percent met)")
    CRITERIA = "criteria", _("Criteria met and not met, per category")
    SUBMITTED = "submitted", _("Date of the latest profile submission")


# The scope column of each part.
PART_FIELDS: dict[str, str] = {
    Part.STATUS: "share_status",
    Part.READINESS: "share_readiness",
    Part.CRITERIA: "share_criteria",
    Part.SUBMITTED: "share_submitted",
}


class ShareQuerySet(TenantQuerySet["Share"]):
    """A share belongs to two companies: both the customer and the sharer read it."""

    def for_user(
        self, user: AbstractBaseUser | AnonymousUser, action: str = "view"
    ) -> ShareQuerySet:
        if not user.is_authenticated:
            return self.none()
        roles_allowing(action)
        if action in PROGRAM_OFFICE_ACTIONS and getattr(user, "is_program_office", False):
            return self.all()
        ids = company_ids_for(user, action)
        return self.filter(Q(sharer__in=ids) | Q(requester__in=ids))

    def received_by(self, user: AbstractBaseUser | AnonymousUser) -> ShareQuerySet:
        """Shares one of the user's companies asked for (the customer side); the program
        office reads every one."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_program_office", False):
            return self.all()
        return self.filter(requester__in=company_ids_for(user, "view"))

    def given_by(self, user: AbstractBaseUser | AnonymousUser) -> ShareQuerySet:
        """Shares one of the user's companies was asked for (the sharer side)."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_program_office", False):
            return self.all()
        return self.filter(sharer__in=company_ids_for(user, "view"))

    def active(self, today: datetime.date | None = None) -> ShareQuerySet:
        """Accepted, not revoked and not past its expiry date."""
        today = today or timezone.localdate()
        return self.filter(status=Share.Status.ACCEPTED).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class Share(TenantModel):
    """A customer's request for a partner's security-profile summary, and the partner's
    scoped consent. The summary is built from the sharer's latest submitted snapshot,
    never from its drafts. An expired share behaves exactly like a revoked one."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Shared")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")

    # The audit trail of a share belongs to the sharer: its consent is what is recorded.
    tenant_field = "sharer"

    requester = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="profile_shares_received",
        verbose_name=_("customer"),
    )
    sharer = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="profile_shares_given",
        verbose_name=_("sharing company"),
    )
    business_partner = models.ForeignKey(
        "partners.BusinessPartner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business partner record"),
        help_text=_("The customer's own directory entry for this partner."),
    )
    message = models.TextField(_("message to the partner"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    share_status = models.BooleanField(_("certification status and tier"), default=False)
    share_readiness = models.BooleanField(_("readiness per MSC category"), default=False)
    share_criteria = models.BooleanField(_("criteria met and not met"), default=False)
    share_submitted = models.BooleanField(_("latest submission date"), default=False)
    expires_on = models.DateField(
        _("shared until"),
        null=True,
        blank=True,
        help_text=_("Last day the customer may see the summary. Leave empty for no end date."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects: ClassVar[ShareQuerySet] = ShareQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("profile share")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One pending request per customer and partner; a new one may follow a
            # rejection, a revocation or an expiry.
            models.UniqueConstraint(
                fields=["requester", "sharer"],
                condition=Q(status="requested"),
                name="one_pending_share_request_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(requester=models.F("sharer")), name="share_not_with_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sharer} → {self.requester} ({self.status})"

    def get_additional_data(self) -> dict[str, Any]:
        # The sharer's audit page lists it; the customer's id is kept for the record.
        return {"company_id": self.sharer_id, "customer_id": self.requester_id}

    def get_absolute_url(self) -> str:
        return reverse("sharing:share-detail", args=[self.sharer_id, self.pk])

    def get_summary_url(self) -> str:
        return reverse("sharing:summary-detail", args=[self.requester_id, self.pk])

    def clean(self) -> None:
        if self.status == self.Status.ACCEPTED and not self.parts():
            raise ValidationError(
                {"share_status": _("Choose at least one part of the profile to share.")}
            )

    def parts(self) -> list[str]:
        """The parts in scope, in a fixed order."""
        return [part for part, name in PART_FIELDS.items() if getattr(self, name)]

    def part_labels(self) -> list[str]:
        return [str(Part(part).label) for part in self.parts()]

    def is_expired(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    def is_active(self, today: datetime.date | None = None) -> bool:
        return self.status == self.Status.ACCEPTED and not self.is_expired(today)

    @property
    def shown_status(self) -> str:
        """The status as people read it: an accepted share past its date is expired."""
        if self.status == self.Status.ACCEPTED and self.is_expired():
            return str(_("Expired"))
        return str(self.get_status_display())


class ShareView(TenantModel):
    """One opening of a shared summary: who, when and how (page, PDF or API). The sharer
    reads these in the share's trail."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        PDF = "pdf", _("PDF")
        API = "api", _("API")

    tenant_field = "share__sharer"

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("how"), max_length=4, choices=Channel.choices)

    objects: ClassVar[TenantQuerySet[ShareView]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("shared summary view")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.share_id} {self.viewer_id} {self.channel}"
