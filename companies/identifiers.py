"""Business-entity identifiers and their real formats (domain.md §1.3).

The rules follow what CBP's own CTPAT portal accepts, tightened where the identifier's
issuer publishes a stricter structure (RFC date part, MID country prefix). Each check
returns the value in its canonical form (upper case, standard punctuation) or raises a
ValidationError whose message says what an acceptable value looks like.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_stubs_ext import StrOrPromise


class IdentifierType(models.TextChoices):
    IOR = "ior", _("Importer of Record (IOR) number")
    EIN = "ein", _("Employer Identification Number (EIN)")
    DUNS = "duns", _("D-U-N-S number")
    MID = "mid", _("Manufacturer Identification (MID)")
    SCAC = "scac", _("Standard Carrier Alpha Code (SCAC)")
    USDOT = "usdot", _("USDOT number")
    FMC = "fmc", _("FMC organization / MTO number")
    IATA = "iata", _("IATA code")
    BROKER_LICENSE = "broker_license", _("Customs broker licence number")
    FILER_CODE = "filer_code", _("Filer code")
    RFC = "rfc", _("RFC (Mexico)")
    SCT = "sct", _("SCT number (Mexico)")
    BOND = "bond", _("CBP bond number")
    FAST_ID = "fast_id", _("ACE / FAST ID")
    TSA = "tsa", _("TSA approval number")


# Canadian MIDs start with a province code instead of the country code (CBP MID rules).
CANADIAN_PROVINCE_CODES = frozenset(
    {"XA", "XB", "XC", "XM", "XN", "XO", "XP", "XQ", "XS", "XT", "XW", "XY", "XV"}
)

_ALNUM = re.compile(r"^[A-Z0-9]+$")


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _fixed(pattern: str, example: str, what: StrOrPromise) -> Callable[[str], str]:
    regex = re.compile(pattern)

    def check(value: str) -> str:
        value = _compact(value)
        if not regex.fullmatch(value):
            raise ValidationError(
                _("%(what)s; for example %(example)s. You entered “%(value)s”.")
                % {"what": what, "example": example, "value": value}
            )
        return value

    return check


def _check_ior(value: str) -> str:
    value = _compact(value)
    if re.fullmatch(r"\d{3}-\d{2}-\d{4}", value):  # social security number
        return value
    if re.fullmatch(r"\d{2}-\d{7}([A-Z0-9]{2})?", value):  # EIN with optional suffix
        return value
    if re.fullmatch(r"\d{11}", value):  # EIN + suffix typed without the dash
        return f"{value[:2]}-{value[2:]}"
    if re.fullmatch(r"\d{6}-\d{5}", value):  # CBP-assigned number
        return value
    raise ValidationError(
        _(
            "An IOR number is an EIN with its suffix (12-345678900), a social security number "
            "(123-45-6789) or a CBP-assigned number (981234-56789). You entered “%(value)s”."
        )
        % {"value": value}
    )


def _check_ein(value: str) -> str:
    value = _compact(value)
    if re.fullmatch(r"\d{9}", value):
        value = f"{value[:2]}-{value[2:]}"
    if not re.fullmatch(r"\d{2}-\d{7}", value):
        raise ValidationError(
            _("An EIN has nine digits written 12-3456789. You entered “%(value)s”.")
            % {"value": value}
        )
    return value


def _check_duns(value: str) -> str:
    value = _compact(value)
    if re.fullmatch(r"\d{2}-\d{3}-\d{4}", value):
        value = value.replace("-", "")
    if not re.fullmatch(r"\d{9}", value):
        raise ValidationError(
            _(
                "A D-U-N-S number has nine digits (123456789 or 12-345-6789). "
                "You entered “%(value)s”."
            )
            % {"value": value}
        )
    return value


def _check_mid(value: str) -> str:
    value = _compact(value)
    if not (_ALNUM.fullmatch(value) and 4 <= len(value) <= 15):
        raise ValidationError(
            _(
                "A MID has at most 15 letters and digits, starting with the country code, "
                "e.g. MXACMTOO1234MON. You entered “%(value)s”."
            )
            % {"value": value}
        )
    prefix = value[:2]
    if prefix not in CANADIAN_PROVINCE_CODES and prefix not in dict(countries):
        raise ValidationError(
            _(
                "A MID starts with the manufacturer's ISO country code (e.g. MX, CN) or, for "
                "Canada, the province code (e.g. XO for Ontario); “%(prefix)s” is neither."
            )
            % {"prefix": prefix}
        )
    return value


def _check_rfc(value: str) -> str:
    value = _compact(value).replace("-", "")
    match = re.fullmatch(r"([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z0-9]{3})", value)
    if not match:
        raise ValidationError(
            _(
                "An RFC has 12 characters for a company (3 letters, the date of incorporation "
                "as YYMMDD, 3 check characters: ABC010203XY1) or 13 for a person (4 letters). "
                "You entered “%(value)s” (%(length)s characters)."
            )
            % {"value": value, "length": len(value)}
        )
    _letters, yy, mm, dd, _check = match.groups()
    try:
        datetime.date(2000 + int(yy), int(mm), int(dd))
    except ValueError as exc:
        raise ValidationError(
            _("The date part of the RFC, %(date)s, is not a real date (YYMMDD).")
            % {"date": yy + mm + dd}
        ) from exc
    return value


def _check_sct(value: str) -> str:
    value = _compact(value)
    if not (_ALNUM.fullmatch(value) and (5 <= len(value) <= 8 or 12 <= len(value) <= 13)):
        raise ValidationError(
            _(
                "An SCT number has 5 to 8 or 12 to 13 letters and digits. "
                "You entered “%(value)s” (%(length)s characters)."
            )
            % {"value": value, "length": len(value)}
        )
    return value


def _check_free_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(_("This identifier is required."))
    return value


VALIDATORS: dict[str, Callable[[str], str]] = {
    IdentifierType.IOR: _check_ior,
    IdentifierType.EIN: _check_ein,
    IdentifierType.DUNS: _check_duns,
    IdentifierType.MID: _check_mid,
    IdentifierType.SCAC: _fixed(r"[A-Z]{4}", "ABCD", _("A SCAC is exactly 4 letters")),
    # FMCSA issues USDOT numbers as digits only; CBP's portal is looser (5–8 characters).
    IdentifierType.USDOT: _fixed(r"\d{5,8}", "1234567", _("A USDOT number has 5 to 8 digits")),
    IdentifierType.FMC: _fixed(
        r"[A-Z0-9]{6}", "012345", _("An FMC organization or MTO number has exactly 6 characters")
    ),
    IdentifierType.IATA: _fixed(
        r"[A-Z0-9]{1,15}", "AA or 0112345", _("An IATA code has 1 to 15 letters and digits")
    ),
    IdentifierType.BROKER_LICENSE: _fixed(
        r"\d{4,5}", "12345", _("A broker licence number has 4 or 5 digits")
    ),
    IdentifierType.FILER_CODE: _fixed(
        r"[A-Z0-9]{3}", "A1B", _("A filer code has exactly 3 letters or digits")
    ),
    IdentifierType.RFC: _check_rfc,
    IdentifierType.SCT: _check_sct,
    IdentifierType.BOND: _fixed(
        r"[A-Z0-9]{9}", "123456789", _("A CBP bond number has exactly 9 letters and digits")
    ),
    IdentifierType.FAST_ID: _check_free_text,
    IdentifierType.TSA: _check_free_text,
}


def validate_identifier(kind: str, value: str) -> str:
    """Return `value` in canonical form, or raise ValidationError saying what is wrong."""
    try:
        check = VALIDATORS[kind]
    except KeyError as exc:
        raise ValidationError(_("Unknown identifier type “%(kind)s”.") % {"kind": kind}) from exc
    return check(value)


# The identifiers each business type must hold (domain.md §1.2). Each inner tuple is one
# requirement met by any of its types ("EIN or DUNS"). `MEXICAN_EXTRA` applies when the
# company is incorporated in Mexico (foreign manufacturers, highway and rail carriers).
REQUIRED_IDENTIFIERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "importer": ((IdentifierType.IOR,), (IdentifierType.BOND,)),
    "exporter": ((IdentifierType.EIN, IdentifierType.DUNS),),
    "foreign_manufacturer": ((IdentifierType.MID,),),
    "highway_carrier": ((IdentifierType.SCAC,), (IdentifierType.USDOT,)),
    "mexico_long_haul_carrier": ((IdentifierType.SCT,), (IdentifierType.RFC,)),
    "air_carrier": ((IdentifierType.IATA,), (IdentifierType.BOND,)),
    "sea_carrier": ((IdentifierType.SCAC,), (IdentifierType.BOND,), (IdentifierType.FMC,)),
    "rail_carrier": ((IdentifierType.SCAC,), (IdentifierType.BOND,)),
    "consolidator": ((IdentifierType.BOND,), (IdentifierType.FMC, IdentifierType.IATA)),
    "customs_broker": ((IdentifierType.BROKER_LICENSE,), (IdentifierType.FILER_CODE,)),
    "marine_port_terminal": ((IdentifierType.FMC,),),
    "third_party_logistics": (
        (IdentifierType.FMC, IdentifierType.TSA, IdentifierType.BOND, IdentifierType.USDOT),
    ),
}
MEXICAN_EXTRA: dict[str, tuple[tuple[str, ...], ...]] = {
    "foreign_manufacturer": ((IdentifierType.RFC,),),
    "highway_carrier": ((IdentifierType.RFC,),),
    "rail_carrier": ((IdentifierType.RFC,),),
}


def required_identifiers(business_type: str, country: str) -> tuple[tuple[str, ...], ...]:
    """The identifier requirements of a company of this type incorporated in `country`."""
    extra = MEXICAN_EXTRA.get(business_type, ()) if country == "MX" else ()
    return REQUIRED_IDENTIFIERS.get(business_type, ()) + extra


def missing_identifiers(business_type: str, country: str, held: set[str]) -> list[tuple[str, ...]]:
    """The requirements not met by the identifier types in `held`."""
    return [
        group
        for group in required_identifiers(business_type, country)
        if not held.intersection(group)
    ]
