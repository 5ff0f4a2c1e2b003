"""A business partner's standing in a supply chain security program (MSC 3.4).

MSC 3.4 asks members to consider whether a partner holds CTPAT or an MRA-recognised AEO
status, to collect proof and to keep tracking it. Two records carry that:

- `PartnerStatus`: a status the member recorded from a certificate (CTPAT, AEO, PIP,
  OEA…), with its number, issuing country, dates and the proof document. It counts as
  meeting the status requirement when the program is CTPAT or covered by a Mutual
  Recognition Arrangement for the issuing country (see `recognition.arrangements`), a
  proof is on file, and it is current (issued, not expired, not revoked).
- `MemberLink`: the partner is itself an OpenCTPAT member found through status
  verification. Its status is never stored here: it is read live from the member's
  certification while the member keeps its consent, and counts while certified or
  validated.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import TenantModel
from core.tenancy import TenantQuerySet
from core.uploads import JPEG, PDF, PNG, StoredFile
from recognition.arrangements import CTPAT, is_recognised, load_arrangements

EXPIRY_WARNING_DAYS = 60
# Certificates come as PDF documents or as scans.
PROOF_KINDS = (PDF, PNG, JPEG)


class ProgramKind(models.TextChoices):
    CTPAT = CTPAT, _("CTPAT (United States)")
    AEO = "aeo", _("Authorized Economic Operator (AEO)")
    PIP = "pip", _("Partners in Protection (PIP, Canada)")
    OEA = "oea", _("Operador Económico Autorizado (OEA / NEEC)")
    SES = "ses", _("Secure Exports Scheme (SES, New Zealand)")
    GOLDEN_LIST = "golden_list", _("Golden List (Jordan)")
    STP = "stp", _("Secure Trade Partnership (STP, Singapore)")
    OEC = "oec", _("Operador Económico Calificado (OEC, Uruguay)")
    OTHER = "other", _("Other program")


class PartnerStatusQuerySet(TenantQuerySet["PartnerStatus"]):
    def current(self, today: datetime.date | None = None) -> PartnerStatusQuerySet:
        """Issued, not expired and not revoked on `today` (whatever the program)."""
        today = today or timezone.localdate()
        return (
            self.filter(issued_on__lte=today)
            .exclude(expires_on__lt=today)
            .exclude(revoked_on__lte=today)
        )

    def with_proof(self) -> PartnerStatusQuerySet:
        return self.filter(proofs__isnull=False).distinct()

    def expiring(self, today: datetime.date | None = None) -> PartnerStatusQuerySet:
        """Current statuses whose expiry falls within the next 60 days."""
        today = today or timezone.localdate()
        horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
        return self.current(today).filter(expires_on__gte=today, expires_on__lte=horizon)


class PartnerStatus(TenantModel):
    """A partner's status in a supply chain security program, as shown by its certificate."""

    tenant_field = "partner__company"

    partner = models.ForeignKey(
        "partners.BusinessPartner",
        on_delete=models.CASCADE,
        related_name="program_statuses",
        verbose_name=_("partner"),
    )
    program = models.CharField(_("program"), max_length=20, choices=ProgramKind.choices)
    program_name = models.CharField(
        _("program name"),
        max_length=200,
        blank=True,
        help_text=_("For “Other program”: the program's own name."),
    )
    country = CountryField(_("issuing country"))
    number = models.CharField(_("certificate / account number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the certificate has no end date."),
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    objects: ClassVar[PartnerStatusQuerySet] = PartnerStatusQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["partner_id", "-issued_on", "-pk"]
        verbose_name = _("partner program status")
        verbose_name_plural = _("partner program statuses")

    def __str__(self) -> str:
        return f"{self.program_label} {self.number} ({self.country.code})"

    @property
    def program_label(self) -> str:
        if self.program == ProgramKind.OTHER and self.program_name:
            return self.program_name
        return str(self.get_program_display())

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.program == ProgramKind.CTPAT and self.country and self.country.code != "US":
            errors["country"] = _("CTPAT is the United States' program; choose United States.")
        if self.program == ProgramKind.OTHER and not self.program_name.strip():
            errors["program_name"] = _("Name the program.")
        if self.expires_on and self.issued_on and self.expires_on < self.issued_on:
            errors["expires_on"] = _("The expiry date is before the issue date.")
        if self.revoked_on and not self.revoked_reason.strip():
            errors["revoked_reason"] = _("Say why the status was revoked.")
        if errors:
            raise ValidationError(errors)

    @property
    def recognised(self) -> bool:
        """CTPAT, or a program with an MRA with the U.S. for the issuing country."""
        return is_recognised(self.program, self.country.code)

    @property
    def arrangement(self) -> Any:
        return load_arrangements().covering(self.program, self.country.code)

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.issued_on <= today
            and (self.expires_on is None or self.expires_on >= today)
            and (self.revoked_on is None or self.revoked_on > today)
        )

    def is_expired(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    def has_proof(self) -> bool:
        return self.proofs.exists()

    def counts(self, today: datetime.date | None = None) -> bool:
        """Meets the status requirement of MSC 3.4: recognised, current, with proof."""
        return self.recognised and self.is_current(today) and self.has_proof()

    def why_not_counting(self, today: datetime.date | None = None) -> str:
        """The first reason the status does not count, or "" when it counts."""
        today = today or timezone.localdate()
        if not self.recognised:
            return str(_("no mutual recognition arrangement with the United States covers it"))
        if self.revoked_on and self.revoked_on <= today:
            return str(_("revoked"))
        if self.is_expired(today):
            return str(_("expired"))
        if self.issued_on > today:
            return str(_("not issued yet"))
        if not self.has_proof():
            return str(_("no proof document on file"))
        return ""


class StatusProof(StoredFile, TenantModel):
    """The certificate (or other proof) of a partner's program status, checked on upload
    like every evidence file."""

    tenant_field = "status__partner__company"
    folder = "recognition"

    status = models.ForeignKey(PartnerStatus, on_delete=models.CASCADE, related_name="proofs")

    objects: ClassVar[TenantQuerySet[StatusProof]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("status proof")
        ordering = ["status_id", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class MemberLink(TenantModel):
    """The partner is itself an OpenCTPAT member, found through status verification. Its
    status is read live from the member's certification, never copied here."""

    tenant_field = "partner__company"

    partner = models.OneToOneField(
        "partners.BusinessPartner",
        on_delete=models.CASCADE,
        related_name="member_link",
        verbose_name=_("partner"),
    )
    member = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("OpenCTPAT member"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects: ClassVar[TenantQuerySet[MemberLink]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("member link")

    def __str__(self) -> str:
        return f"{self.partner} → {self.member.account_number}"
