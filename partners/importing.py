"""Reading and checking a partner file (CSV or Excel) before anything is written.

`check_file` reads every row and returns the cleaned rows and a list of errors, each
naming the row (as numbered in the spreadsheet, header = row 1), the column and what
would be accepted. `write_rows` creates the partners of a file without errors in one
transaction; it is all or nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from companies.models import Company
from core.importing import ImportFileError, Row, read_rows
from partners.models import BusinessPartner, PartnerRole, compute_tier, normalise_name

COLUMNS = (
    "name",
    "role",
    "country",
    "street",
    "city",
    "postal_code",
    "contact_name",
    "contact_email",
    "contact_phone",
    "tax_id",
    "other_identifiers",
    "yearly_volume",
    "relationship_owner",
)
REQUIRED = ("name", "role", "country")
MAX_LENGTHS: dict[str, int] = {
    name: int(getattr(BusinessPartner._meta.get_field(name), "max_length", 0) or 0)
    for name in COLUMNS
    if name not in ("yearly_volume", "relationship_owner", "role", "country")
}


@dataclass
class CheckResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})


def _role_lookup() -> dict[str, str]:
    """Role codes and role names in English and Spanish, accents ignored."""
    lookup: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            for value, label in PartnerRole.choices:
                lookup[value.lower()] = value
                lookup[_plain(str(label))] = value
    return lookup


def _country_lookup() -> dict[str, str]:
    """ISO codes and country names in English and Spanish, accents ignored."""
    lookup: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            for code, name in countries:
                lookup[code.lower()] = code
                lookup[_plain(str(name))] = code
    return lookup


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def max_rows() -> int:
    """Data rows accepted in one partner file (a whole supplier base: larger than others)."""
    return int(getattr(settings, "CTPAT_PARTNER_IMPORT_MAX_ROWS", 100_000))


def max_bytes() -> int:
    return int(getattr(settings, "CTPAT_PARTNER_IMPORT_MAX_MB", 50)) * 1024 * 1024


def read_table(upload: IO[bytes] | bytes, filename: str) -> Iterator[Row]:
    """Rows of a .csv (UTF-8, comma or semicolon) or .xlsx file, header first.

    Read through `core.importing.read_rows` with the partner import's limits; raises
    `ImportFileError` when the file is refused.
    """
    return read_rows(upload, filename, max_rows=max_rows(), max_bytes=max_bytes())


def check_rows(company: Company, table: Iterable[Row]) -> CheckResult:
    result = CheckResult()
    iterator = iter(table)
    first = next(iterator, None)
    header = [h.lower() for h in first.values] if first else []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing:
        result.error(
            1,
            ", ".join(missing),
            _("Required column missing. Columns: %(cols)s.") % {"cols": ", ".join(COLUMNS)},
        )
    if unknown:
        result.error(
            1,
            ", ".join(unknown),
            _("Unknown column. Columns: %(cols)s.") % {"cols": ", ".join(COLUMNS)},
        )
    if result.errors:
        return result
    roles = _role_lookup()
    country_codes = _country_lookup()
    owners = {
        email.lower(): pk for pk, email in company.memberships.values_list("user_id", "user__email")
    }
    existing = set(
        BusinessPartner.objects.filter(company=company).values_list("normalised_name", "country")
    )
    seen: dict[tuple[str, str], int] = {}
    role_choices = ", ".join(v for v, _l in PartnerRole.choices)
    for line in iterator:
        number, values = line.number, line.values
        raw = dict(zip(header, values, strict=False))
        row: dict[str, Any] = {c: raw.get(c, "") for c in COLUMNS}
        problems: list[tuple[str, str]] = []

        for column in REQUIRED:
            if not row[column]:
                problems.append((column, _("This value is required.")))
        for column, limit in MAX_LENGTHS.items():
            if len(row[column]) > limit:
                problems.append((column, _("At most %(n)d characters.") % {"n": limit}))
        if row["role"]:
            role = roles.get(_plain(row["role"]))
            if role is None:
                problems.append(
                    ("role", _("Unknown role. Accepted: %(roles)s.") % {"roles": role_choices})
                )
            row["role"] = role
        if row["country"]:
            code = country_codes.get(_plain(row["country"]))
            if code is None:
                problems.append(
                    ("country", _("Unknown country. Use a two-letter ISO code such as MX."))
                )
            row["country"] = code
        if row["contact_email"]:
            try:
                validate_email(row["contact_email"])
            except ValidationError:
                problems.append(("contact_email", _("Not a valid e-mail address.")))
        volume = row["yearly_volume"] or "0"
        try:
            row["yearly_volume"] = int(float(volume))
            if row["yearly_volume"] < 0 or float(volume) != row["yearly_volume"]:
                raise ValueError
        except (ValueError, OverflowError):
            problems.append(("yearly_volume", _("A whole number of shipments, 0 or more.")))
        owner = row.pop("relationship_owner")
        row["relationship_owner_id"] = None
        if owner:
            row["relationship_owner_id"] = owners.get(owner.lower())
            if row["relationship_owner_id"] is None:
                problems.append(
                    ("relationship_owner", _("Not the e-mail of a member of this company."))
                )
        if not problems:
            key = (normalise_name(row["name"]), row["country"])
            if key in existing:
                problems.append(
                    ("name", _("A partner with this name already exists in this country."))
                )
            elif key in seen:
                problems.append(("name", _("Same partner as row %(row)d.") % {"row": seen[key]}))
            else:
                seen[key] = number
                result.rows.append(row)
        for column, message in problems:
            result.error(number, column, message)
    if not result.rows and not result.errors:
        result.error(2, "", _("The file has no partner rows."))
    return result


def check_file(company: Company, upload: IO[bytes] | bytes, filename: str) -> CheckResult:
    """The checked rows of a file, or its errors; a refused file gives one error, no rows."""
    try:
        return check_rows(company, read_table(upload, filename))
    except ImportFileError as exc:
        result = CheckResult()
        result.error(exc.row or 1, exc.column, exc.message)
        return result


def build_partner(company: Company, row: dict[str, Any]) -> BusinessPartner:
    partner = BusinessPartner(company=company, **row)
    partner.normalised_name = normalise_name(partner.name)
    partner.computed_tier = compute_tier(partner.role, row["country"], partner.yearly_volume)
    partner.tier = partner.computed_tier
    return partner


def write_rows(company: Company, rows: list[dict[str, Any]]) -> list[BusinessPartner]:
    """Create every partner of a checked file, or none (one transaction)."""
    with transaction.atomic():
        partners = [build_partner(company, row) for row in rows]
        return BusinessPartner.objects.bulk_create(partners, batch_size=2000)
