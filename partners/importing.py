"""The partner import (CSV or Excel): its columns, the check of one row, and the write.

Reading, the header, empty and unparseable cells and the problems (row, column, value,
reason) are `core.importing.Importer`'s. A row is also refused when the partner exists
already (same normalised name and country) or appears twice in the file. `write` creates
the partners of a checked file in one transaction; it is all or nothing.
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from companies.models import Company
from core.importing import Checked, Column, Importer, Invalid, RowCheck, choice_parser, plain
from partners.models import BusinessPartner, PartnerRole, compute_tier, normalise_name


def _role_lookup() -> dict[str, str]:
    """Role codes and role names in English and Spanish, accents ignored."""
    lookup: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            for value, label in PartnerRole.choices:
                lookup[value.lower()] = value
                lookup[plain(str(label))] = value
    return lookup


def _country_lookup() -> dict[str, str]:
    """ISO codes and country names in English and Spanish, accents ignored."""
    lookup: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            for code, name in countries:
                lookup[code.lower()] = code
                lookup[plain(str(name))] = code
    return lookup


def _email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise Invalid(_("Not a valid e-mail address; write it as name@example.com.")) from None
    return text


def _volume(text: str) -> int:
    try:
        number = float(text)
        if number < 0 or not number.is_integer():
            raise ValueError
        return int(number)
    except (ValueError, OverflowError):
        raise Invalid(_("A whole number of shipments, 0 or more (e.g. 120).")) from None


def _length(name: str) -> int:
    return int(getattr(BusinessPartner._meta.get_field(name), "max_length", 0) or 0)


def _text(name: str, es: str, **options: Any) -> Column:
    return Column(name, es, max_length=_length(name), **options)


class PartnerImporter(Importer[dict[str, Any]]):
    columns = (
        _text("name", "nombre", required=True, help=gettext_lazy("legal name of the partner")),
        Column(
            "role",
            "rol",
            required=True,
            parse=choice_parser(
                _role_lookup,
                gettext_lazy("Unknown role; write one of: %(values)s."),
                PartnerRole.values,
            ),
            help=gettext_lazy("role code or name, e.g. highway_carrier"),
        ),
        Column(
            "country",
            "país",
            required=True,
            parse=choice_parser(
                _country_lookup,
                gettext_lazy("Unknown country; use a two-letter ISO code such as MX."),
            ),
            help=gettext_lazy("ISO code or name, e.g. MX"),
        ),
        _text("street", "calle"),
        _text("city", "ciudad"),
        _text("postal_code", "código_postal"),
        _text("contact_name", "nombre_contacto"),
        Column(
            "contact_email",
            "correo_contacto",
            max_length=_length("contact_email"),
            parse=_email,
        ),
        _text("contact_phone", "teléfono_contacto"),
        _text("tax_id", "identificación_fiscal"),
        _text("other_identifiers", "otros_identificadores"),
        Column(
            "yearly_volume",
            "volumen_anual",
            parse=_volume,
            empty=0,
            help=gettext_lazy("shipments a year, a whole number"),
        ),
        Column(
            "relationship_owner",
            "responsable_relación",
            help=gettext_lazy("e-mail of the member of your company who owns the relationship"),
        ),
    )
    template_name = "partners-template"
    no_rows_reason = gettext_lazy("The file has no partner rows; add one row per partner.")

    def __init__(self, company: Company) -> None:
        self.company = company
        self.owners: dict[str, int] | None = None
        self.existing: set[tuple[str, str]] = set()
        self.seen: dict[tuple[str, str], int] = {}

    def max_rows(self) -> int:
        return max_rows()

    def max_bytes(self) -> int:
        return max_bytes()

    def _load(self) -> dict[str, int]:
        if self.owners is None:
            self.owners = {
                email.lower(): pk
                for pk, email in self.company.memberships.values_list("user_id", "user__email")
            }
            self.existing = set(
                BusinessPartner.objects.filter(company=self.company).values_list(
                    "normalised_name", "country"
                )
            )
        return self.owners

    def build_row(self, row: RowCheck) -> dict[str, Any] | None:
        owners = self._load()
        values = row.values
        owner = values.pop("relationship_owner")
        values["relationship_owner_id"] = None
        if owner:
            values["relationship_owner_id"] = owners.get(owner.lower())
            if values["relationship_owner_id"] is None:
                row.fail(
                    "relationship_owner",
                    _(
                        "Not the e-mail of a member of this company; invite them first or leave "
                        "the cell empty."
                    ),
                )
        if not row.ok:
            return None
        key = (normalise_name(values["name"]), values["country"])
        if key in self.existing:
            row.fail(
                "name",
                _("A partner with this name already exists in this country; delete the row."),
            )
        elif key in self.seen:
            row.fail(
                "name",
                _("Same partner as row %(row)d; keep one of the two rows.")
                % {"row": self.seen[key]},
            )
        else:
            self.seen[key] = row.number
        return values

    def write(self, rows: list[dict[str, Any]]) -> list[BusinessPartner]:
        partners = [build_partner(self.company, row) for row in rows]
        return BusinessPartner.objects.bulk_create(partners, batch_size=2000)


COLUMNS = tuple(c.name for c in PartnerImporter.columns)


def max_rows() -> int:
    """Data rows accepted in one partner file (a whole supplier base: larger than others)."""
    return int(getattr(settings, "CTPAT_PARTNER_IMPORT_MAX_ROWS", 100_000))


def max_bytes() -> int:
    return int(getattr(settings, "CTPAT_PARTNER_IMPORT_MAX_MB", 50)) * 1024 * 1024


def check_file(
    company: Company, upload: IO[bytes] | bytes, filename: str
) -> Checked[dict[str, Any]]:
    """The checked rows of a file, or its problems; a refused file gives one problem."""
    return PartnerImporter(company).check(upload, filename)


def build_partner(company: Company, row: dict[str, Any]) -> BusinessPartner:
    partner = BusinessPartner(company=company, **row)
    partner.normalised_name = normalise_name(partner.name)
    partner.computed_tier = compute_tier(partner.role, row["country"], partner.yearly_volume)
    partner.tier = partner.computed_tier
    return partner


def write_rows(company: Company, rows: list[dict[str, Any]]) -> list[BusinessPartner]:
    """Create every partner of a checked file, or none (one transaction)."""
    with transaction.atomic():
        return PartnerImporter(company).write(rows)
