"""The submitted application's snapshot as a reader sees it: labels in the reader's
language instead of the codes the snapshot keeps (codes stay in the JSON, which is what
was frozen)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from companies.choices import BusinessSubtype, BusinessType, TransportMode
from companies.identifiers import IdentifierType
from companies.models import AddressKind, ContactKind, Program

EMPTY = "—"


def _label(choices: Any, code: Any) -> str:
    if code in (None, ""):
        return EMPTY
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)  # a code no longer offered: shown as it was frozen


def _country(code: Any) -> str:
    if not code:
        return EMPTY
    return str(countries.name(code)) or str(code)


def _each(items: Any, **fields: Any) -> list[dict[str, Any]]:
    """Each item of a snapshot list with the named fields turned into labels."""
    return [
        {**item, **{name: read(item.get(name)) for name, read in fields.items()}}
        for item in items or []
    ]


def readable_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    s = snapshot or {}
    yes_no = {True: _("Yes"), False: _("No")}
    origins = [_country(c) for c in s.get("countries_of_origin") or []]
    modes = [_label(TransportMode, m) for m in s.get("transport_modes") or []]
    return {
        "legal_name": s.get("legal_name") or EMPTY,
        "dba": s.get("dba") or "",
        "account_number": s.get("account_number") or EMPTY,
        "business_type": _label(BusinessType, s.get("business_type")),
        "business_subtype": _label(BusinessSubtype, s.get("business_subtype"))
        if s.get("business_subtype")
        else "",
        "country": _country(s.get("country")),
        "parent_company": s.get("parent_company") or EMPTY,
        "subsidiaries": s.get("subsidiaries") or EMPTY,
        "commodities": s.get("commodities") or EMPTY,
        "countries_of_origin": ", ".join(origins) or EMPTY,
        "transport_modes": ", ".join(modes) or EMPTY,
        "yearly_shipments": s.get("yearly_shipments")
        if s.get("yearly_shipments") not in (None, "")
        else EMPTY,
        "uses_ftz": yes_no.get(bool(s.get("uses_ftz"))),
        "ftz_numbers": s.get("ftz_numbers") or "",
        "addresses": _each(
            s.get("addresses"),
            kind=lambda v: _label(AddressKind, v),
            country=_country,
            staffed=lambda v: yes_no[bool(v)],
        ),
        "contacts": _each(s.get("contacts"), kind=lambda v: _label(ContactKind, v)),
        "identifiers": _each(s.get("identifiers"), kind=lambda v: _label(IdentifierType, v)),
        "programs": _each(
            s.get("programs"), program=lambda v: _label(Program, v), country=_country
        ),
    }
