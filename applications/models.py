"""The CTPAT application: the company's request to join the program, the partner agreement
its company officer e-signs, and the events the program office reviews.

The descriptive data (legal name, addresses, contacts, identifiers, scope) lives on
`companies.Company` and its parts; the application adds what the program needs on top of it:
a completeness checklist, the signature and, once submitted, a frozen copy of that data.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.choices import SUBTYPES, BusinessType
from companies.identifiers import IdentifierType, missing_identifiers
from companies.models import AddressKind, Company, ContactKind
from core.models import TenantModel
from core.tenancy import TenantQuerySet

# ---------------------------------------------------------------------------------------
# The partner agreement text, versioned as data files.

AGREEMENTS_DIR = Path(__file__).resolve().parent / "agreements"
AGREEMENT_FILE = re.compile(
    r"ctpat-partner-agreement-v(?P<version>\d+)\.(?P<language>[a-z]{2})\.md"
)
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class AgreementText:
    """One published wording of the partner agreement in one language."""

    version: int
    language: str
    text: str

    @property
    def sha256(self) -> str:
        """The hash stored with a signature: of the UTF-8 text exactly as shown."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _agreement_files() -> dict[tuple[int, str], Path]:
    found: dict[tuple[int, str], Path] = {}
    for path in AGREEMENTS_DIR.iterdir():
        match = AGREEMENT_FILE.fullmatch(path.name)
        if match:
            found[(int(match["version"]), match["language"])] = path
    return found


@lru_cache(maxsize=32)
def agreement_text(version: int, language: str) -> AgreementText:
    """The agreement of this version in this language; LookupError if it was never published.

    Files are read with universal newlines, so a checkout with CRLF line ends shows and
    hashes the same text as one with LF.
    """
    try:
        path = _agreement_files()[(version, language)]
    except KeyError as exc:
        raise LookupError(f"no partner agreement v{version} in {language!r}") from exc
    return AgreementText(version, language, path.read_text(encoding="utf-8"))


def current_agreement(language: str) -> AgreementText:
    """The newest published version, in `language` when it exists in it, else in English."""
    newest = max(version for version, _lang in _agreement_files())
    lang = language if (newest, language) in _agreement_files() else FALLBACK_LANGUAGE
    return agreement_text(newest, lang)


# ---------------------------------------------------------------------------------------
# The completeness checklist.


@dataclass(frozen=True)
class ChecklistItem:
    """One thing the application needs before the officer may sign it."""

    key: str
    label: str
    done: bool
    missing: str
    url: str


class Application(TenantModel):
    """A company's CTPAT application (the legacy portal's "pre-applicant" stage).

    It stays a draft while the company describes itself; the company officer's signature of
    the partner agreement submits it for the program office's review. The later
    certification lifecycle (review, vetting, certification) belongs to its own app; this
    model only knows draft and submitted.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        SUBMITTED = "submitted", gettext_lazy("Submitted")

    company = models.OneToOneField(
        Company,
        on_delete=models.CASCADE,
        related_name="application",
        verbose_name=gettext_lazy("company"),
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted"), null=True, blank=True)
    snapshot = models.JSONField(
        gettext_lazy("company data as submitted"), null=True, blank=True, editable=False
    )

    objects: ClassVar[TenantQuerySet[Application]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("application")
        verbose_name_plural = gettext_lazy("applications")
        ordering = ["company__legal_name"]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("applications:application-detail", args=[self.company_id])

    @classmethod
    def start(cls, company: Company) -> Application:
        """The company's application, created as a draft the first time it is asked for."""
        application, _created = cls.objects.get_or_create(company=company)
        return application

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def checklist(self) -> list[ChecklistItem]:
        """What the application needs, each item saying what is missing and where to fix it.

        Computed from the company's current data every time, so an edit elsewhere shows here
        at once. Seven queries whatever the size of the company.
        """
        company = self.company
        pk = company.pk
        edit = reverse("companies:company-edit", args=[pk])
        contacts_url = reverse("companies:contact-list", args=[pk])
        items = [
            _item(
                "legal_name",
                _("Legal name"),
                [] if company.legal_name.strip() else [_("the company's legal name")],
                edit,
            ),
            _item("business_type", _("Business entity type"), _business_type_gaps(company), edit),
            _item(
                "headquarters",
                _("Headquarters address"),
                []
                if company.addresses.filter(kind=AddressKind.HEADQUARTERS).exists()
                else [_("an address of type “Headquarters”")],
                reverse("companies:address-list", args=[pk]),
            ),
        ]
        contact_kinds = set(company.contacts.values_list("kind", flat=True))
        for kind in (ContactKind.SECURITY, ContactKind.OFFICER, ContactKind.SENIOR_MANAGEMENT):
            items.append(
                _item(
                    f"contact_{kind}",
                    str(kind.label),
                    []
                    if kind in contact_kinds
                    else [_("a contact of type “%(kind)s”") % {"kind": kind.label}],
                    contacts_url,
                )
            )
        held = set(company.identifiers.values_list("kind", flat=True))
        gaps = missing_identifiers(company.business_type, company.country.code or "", held)
        either = " {} ".format(_("or"))
        items.append(
            _item(
                "identifiers",
                _("Identifiers for the business type"),
                [either.join(str(IdentifierType(k).label) for k in group) for group in gaps],
                reverse("companies:identifier-list", args=[pk]),
            )
        )
        items.append(
            _item("scope", _("Scope of business and supply chain"), _scope_gaps(company), edit)
        )
        items.append(_eligibility_item(company))
        return items

    def missing_items(self) -> list[ChecklistItem]:
        return [item for item in self.checklist() if not item.done]

    def build_snapshot(self) -> dict[str, Any]:
        """The company's data as a plain JSON document, frozen into the application when it
        is submitted: later edits to the company never change what was applied with."""
        company = self.company
        check = company.latest_eligibility_check()
        return {
            "account_number": company.account_number,
            "legal_name": company.legal_name,
            "dba": company.dba,
            "business_type": company.business_type,
            "business_subtype": company.business_subtype,
            "country": company.country.code,
            "language": company.language,
            "parent_company": company.parent_company,
            "subsidiaries": company.subsidiaries,
            "commodities": company.commodities,
            "countries_of_origin": [c.code for c in company.countries_of_origin],
            "transport_modes": list(company.transport_modes or []),
            "yearly_shipments": company.yearly_shipments,
            "uses_ftz": company.uses_ftz,
            "ftz_numbers": company.ftz_numbers,
            "addresses": [
                {
                    "kind": a.kind,
                    "name": a.name,
                    "street": a.street,
                    "city": a.city,
                    "region": a.region,
                    "postal_code": a.postal_code,
                    "country": a.country.code,
                    "staffed": a.staffed,
                }
                for a in company.addresses.order_by("kind", "pk")
            ],
            "contacts": [
                {
                    "kind": c.kind,
                    "name": c.name,
                    "title": c.title,
                    "email": c.email,
                    "phone": c.phone,
                }
                for c in company.contacts.order_by("kind", "pk")
            ],
            "identifiers": [
                {"kind": i.kind, "value": i.value}
                for i in company.identifiers.order_by("kind", "pk")
            ],
            "programs": [
                {
                    "program": p.program,
                    "country": p.country.code,
                    "number": p.number,
                    "valid_until": p.valid_until.isoformat() if p.valid_until else None,
                }
                for p in company.programs.order_by("program", "pk")
            ],
            "eligibility_check": (
                {"id": check.pk, "qualifies": bool(check.qualifies)} if check is not None else None
            ),
        }


def _item(key: str, label: str, gaps: list[str], url: str) -> ChecklistItem:
    missing = _("Missing: %(what)s.") % {"what": "; ".join(gaps)} if gaps else ""
    return ChecklistItem(key=key, label=label, done=not gaps, missing=missing, url=url)


def _business_type_gaps(company: Company) -> list[str]:
    if company.business_type not in BusinessType.values:
        return [_("the business entity type")]
    allowed = SUBTYPES.get(company.business_type, ())
    if allowed and company.business_subtype not in allowed:
        return [_("the sub-type of the business entity type")]
    return []


def _scope_gaps(company: Company) -> list[str]:
    def label(name: str) -> str:
        return str(getattr(Company._meta.get_field(name), "verbose_name", name))

    gaps = [
        label(name)
        for name, value in (
            ("commodities", company.commodities.strip()),
            ("countries_of_origin", company.countries_of_origin),
            ("transport_modes", company.transport_modes),
            ("yearly_shipments", company.yearly_shipments is not None),
        )
        if not value
    ]
    if company.uses_ftz and not company.ftz_numbers.strip():
        gaps.append(label("ftz_numbers"))
    return gaps


def _eligibility_item(company: Company) -> ChecklistItem:
    check = company.latest_eligibility_check()
    url = reverse("eligibility:check", args=[company.pk])
    label = _("Eligibility check passed")
    if check is None:
        return ChecklistItem(
            "eligibility", label, False, _("The eligibility check has not been run yet."), url
        )
    if not check.qualifies:
        return ChecklistItem(
            "eligibility",
            label,
            False,
            _(
                "The latest eligibility check says the company does not qualify "
                "yet; it lists the answers to fix."
            ),
            url,
        )
    return ChecklistItem("eligibility", label, True, "", url)


class ImmutableRecordError(RuntimeError):
    """Raised on an attempt to change or delete a signature."""


class AgreementSignature(TenantModel):
    """The company officer's e-signature of the CTPAT partner agreement.

    Records who signed (the account and the name and title they typed), when, from which
    IP address, and which text: the agreement version and language and the SHA-256 of the
    exact text shown. A signature is a legal record, so it is never changed or deleted
    once written; an application has at most one.
    """

    tenant_field = "application__company"

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="signature",
        verbose_name=gettext_lazy("application"),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agreement_signatures",
        verbose_name=gettext_lazy("signed by"),
    )
    full_name = models.CharField(gettext_lazy("full name"), max_length=200)
    title = models.CharField(gettext_lazy("title"), max_length=200)
    signed_at = models.DateTimeField(gettext_lazy("signed at"))
    ip_address = models.GenericIPAddressField(gettext_lazy("IP address"), null=True, blank=True)
    agreement_version = models.PositiveIntegerField(gettext_lazy("agreement version"))
    language = models.CharField(gettext_lazy("language"), max_length=8)
    text_sha256 = models.CharField(gettext_lazy("SHA-256 of the text signed"), max_length=64)

    objects: ClassVar[TenantQuerySet[AgreementSignature]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("agreement signature")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.title} ({self.signed_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(_("A signature cannot be changed once it is written."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError(_("A signature cannot be deleted."))

    def agreement(self) -> AgreementText:
        return agreement_text(self.agreement_version, self.language)


class ApplicationEvent(TenantModel):
    """One step in an application's history (submitted, and later the program office's
    review steps): from which status to which, what happened, who did it, and when."""

    tenant_field = "application__company"

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=gettext_lazy("application"),
    )
    from_status = models.CharField(gettext_lazy("from"), max_length=30)
    to_status = models.CharField(gettext_lazy("to"), max_length=30)
    event = models.CharField(gettext_lazy("event"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    note = models.TextField(gettext_lazy("note"), blank=True)

    objects: ClassVar[TenantQuerySet[ApplicationEvent]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("application event")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.event}: {self.from_status} → {self.to_status}"
