"""The tenant and what describes it: Company, Membership, addresses, contacts,
business-entity identifiers and international programs already held."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from companies.choices import SUBTYPES, BusinessSubtype, BusinessType, Role, TransportMode
from companies.identifiers import IdentifierType, validate_identifier
from core.models import TenantModel, TimeStampedModel
from core.tenancy import TenantQuerySet


class Company(TimeStampedModel):
    """A CTPAT member or applicant: the tenant that owns every other record."""

    tenant_field = "pk"

    legal_name = models.CharField(_("legal name"), max_length=200)
    dba = models.CharField(_("doing business as"), max_length=200, blank=True)
    business_type = models.CharField(
        _("business entity type"), max_length=40, choices=BusinessType.choices
    )
    business_subtype = models.CharField(
        _("sub-type"), max_length=40, choices=BusinessSubtype.choices, blank=True
    )
    country = CountryField(_("country of headquarters"))
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # Corporate structure.
    parent_company = models.CharField(_("parent company"), max_length=200, blank=True)
    subsidiaries = models.TextField(_("subsidiaries"), blank=True)
    # Scope of business and supply chain.
    commodities = models.TextField(_("commodities handled"), blank=True)
    countries_of_origin = CountryField(_("countries of origin"), multiple=True, blank=True)
    transport_modes = models.JSONField(_("transport modes"), default=list, blank=True)
    yearly_shipments = models.PositiveIntegerField(_("shipments per year"), null=True, blank=True)
    uses_ftz = models.BooleanField(_("uses foreign trade zones"), default=False)
    ftz_numbers = models.CharField(
        _("foreign trade zones used"),
        max_length=200,
        blank=True,
        help_text=_("Zone numbers separated by commas, e.g. 22, 49"),
    )

    objects: ClassVar[TenantQuerySet[Company]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("companies:company-detail", args=[self.pk])

    def get_additional_data(self) -> dict[str, Any]:
        return {"company_id": self.pk}

    @property
    def account_number(self) -> str:
        """The member account number shown to the program office and partners."""
        return f"CT{self.pk:07d}"

    def clean(self) -> None:
        allowed = SUBTYPES.get(self.business_type, ())
        if allowed and self.business_subtype not in allowed:
            names = ", ".join(str(BusinessSubtype(s).label) for s in allowed)
            raise ValidationError(
                {"business_subtype": _("Choose one of: %(names)s.") % {"names": names}}
            )
        if not allowed and self.business_subtype:
            raise ValidationError(
                {"business_subtype": _("This business type has no sub-types; leave it empty.")}
            )
        unknown = [m for m in self.transport_modes or [] if m not in TransportMode.values]
        if unknown:
            raise ValidationError(
                {
                    "transport_modes": _("Unknown transport mode: %(modes)s. Use: %(valid)s.")
                    % {
                        "modes": ", ".join(map(str, unknown)),
                        "valid": ", ".join(TransportMode.values),
                    }
                }
            )

    def latest_eligibility_check(self) -> Any:
        """The most recent eligibility wizard result, or None (eligibility app)."""
        checks = getattr(self, "eligibility_checks", None)
        return checks.order_by("-created_at").first() if checks is not None else None

    def current_application(self) -> Any:
        """The company's CTPAT application, or None before one is started (applications app)."""
        try:
            return getattr(self, "application", None)
        except models.ObjectDoesNotExist:
            return None

    def role_of(self, user: Any) -> str | None:
        membership = self.memberships.filter(user_id=user.pk).first()
        return membership.role if membership else None


class Membership(TenantModel):
    """A person's role in one company. A consultant holds one membership per client."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    objects: ClassVar[TenantQuerySet[Membership]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("membership")
        ordering = ["company__legal_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="one_membership_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.company}"

    def check_keeps_an_officer(self, new_role: str | None) -> None:
        """Refuse to take away the last company officer of a company that has one (only an
        officer signs the partner agreement).

        `new_role` is the role this membership is about to get; None means it is being
        removed or moved to another company. Call inside the change's transaction: the
        company's officer rows are locked, so two managers demoting two officers at the
        same moment cannot leave none. The stored row is what counts, not this object.
        """
        if new_role == Role.OFFICER:
            return
        officers = list(
            Membership.objects.select_for_update()
            .filter(company_id=self.company_id, role=Role.OFFICER)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if officers == [self.pk]:
            raise ValidationError(
                {
                    "role": _(
                        "A company keeps at least one company officer: name another "
                        "company officer first."
                    )
                }
            )


def hash_invitation_token(token: str) -> str:
    """The form an invitation's link secret is stored in: the link itself is never kept."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(TenantQuerySet["Invitation"]):
    def pending(self, now: Any = None) -> InvitationQuerySet:
        """Invitations that can still be accepted: not accepted, not revoked, not expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class Invitation(TenantModel):
    """An offer, sent by e-mail, to join a company with a role. It is the only way a person
    becomes a member of a company that already exists: the link's secret proves the person
    reads that mailbox, and only an account with the same e-mail address may accept.

    Only the SHA-256 of the link's secret is stored, so a database dump reveals no working
    link. An invitation is used once; once accepted, revoked or expired it opens nothing.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("valid until"))
    sent_at = models.DateTimeField(_("last sent"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects: ClassVar[InvitationQuerySet] = InvitationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("invitation")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.company} ({self.get_role_display()})"

    def is_pending(self, now: Any = None) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > (now or timezone.now())
        )

    @property
    def status(self) -> str:
        """pending, accepted, revoked or expired (for lists and the API)."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "pending" if self.is_pending() else "expired"


class AddressKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    FACILITY = "facility", _("Facility")
    MANUFACTURING = "manufacturing", _("Manufacturing plant")
    WAREHOUSE = "warehouse", _("Warehouse / distribution center")
    TERMINAL = "terminal", _("Terminal / yard")
    OFFICE = "office", _("Office")
    MAILING = "mailing", _("Mailing address")


class Address(TenantModel):
    """A company location: headquarters, facilities, warehouses, terminals."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("type"), max_length=20, choices=AddressKind.choices)
    name = models.CharField(_("site name"), max_length=200, blank=True)
    street = models.CharField(_("street"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state / province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = CountryField(_("country"))
    staffed = models.BooleanField(_("staffed office"), default=True)

    objects: ClassVar[TenantQuerySet[Address]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["kind", "city"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.street}, {self.city}, {self.country.code}"


class ContactKind(models.TextChoices):
    SECURITY = "security", _("Primary security contact")
    OFFICER = "officer", _("Company officer")
    SENIOR_MANAGEMENT = "senior_management", _("Senior management executive")
    ALTERNATE = "alternate", _("Alternate point of contact")
    OTHER = "other", _("Other")


class Contact(TenantModel):
    """A key contact named in the application."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("type"), max_length=20, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects: ClassVar[TenantQuerySet[Contact]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("contact")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class Identifier(TenantModel):
    """A business-entity identifier (IOR, EIN, SCAC, MID, RFC…), checked by its real format."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("type"), max_length=20, choices=IdentifierType.choices)
    value = models.CharField(_("value"), max_length=40)

    objects: ClassVar[TenantQuerySet[Identifier]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("identifier")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind", "value"], name="unique_identifier_per_company"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def clean(self) -> None:
        if self.kind and self.value:
            try:
                self.value = validate_identifier(self.kind, self.value)
            except ValidationError as exc:
                raise ValidationError({"value": exc.messages}) from exc


class Program(models.TextChoices):
    AEO = "aeo", _("Authorized Economic Operator (AEO)")
    PIP = "pip", _("Partners in Protection (PIP, Canada)")
    OEA = "oea", _("OEA / NEEC (Mexico)")
    OTHER_MRA = "other_mra", _("Other MRA program")
    TRADE_COMPLIANCE = "trade_compliance", _("CTPAT Trade Compliance")
    OTHER = "other", _("Other")


class ProgramParticipation(TenantModel):
    """An international supply-chain security program the company already holds."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="programs")
    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    country = CountryField(_("issuing country"))
    number = models.CharField(_("certificate / account number"), max_length=60, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects: ClassVar[TenantQuerySet[ProgramParticipation]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("international program")
        ordering = ["program"]

    def __str__(self) -> str:
        return f"{self.get_program_display()} ({self.country.code})"
