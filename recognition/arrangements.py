"""The Mutual Recognition Arrangements (data/arrangements.toml) and the rule that says
whether a partner's program status is recognised by CBP.

The file is data a non-programmer can edit when CBP signs a new arrangement;
`load_arrangements()` reads and checks it, and a mistake (an unknown program code, a
country code that does not exist, a repeated id, a misspelt field) stops loading with a
message naming the arrangement and the field. The app loads the file at start-up, so a
broken file never reaches a user.

Recognised means: CTPAT itself, or a program covered by an arrangement in force, issued by
one of the arrangement's countries (an EU AEO certificate from Germany counts; an AEO
certificate from a country without an arrangement is recorded but does not count).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django_countries import countries

from core.datafiles import read_toml

ARRANGEMENTS_FILE = Path(__file__).resolve().parent / "data" / "arrangements.toml"

CTPAT = "ctpat"
# Program codes an arrangement may name; the same codes as ProgramKind in models.py
# (kept here so the loader needs no models).
FOREIGN_PROGRAMS = frozenset({"aeo", "pip", "oea", "ses", "golden_list", "stp", "oec"})
IN_FORCE, SUSPENDED = "in_force", "suspended"
STATUSES = (IN_FORCE, SUSPENDED)
REQUIRED_FIELDS = (
    "id",
    "partner",
    "countries",
    "programs",
    "program_name",
    "signed",
    "status",
    "source",
)
OPTIONAL_FIELDS = ("note",)
LANGUAGES = ("en", "es")
_ID = re.compile(r"[a-z0-9_]+")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class ArrangementFileError(ValueError):
    """The arrangements file breaks a rule; the message names the arrangement and field."""


@dataclass(frozen=True)
class Arrangement:
    """One MRA between CBP and a foreign customs administration."""

    id: str
    partner: Mapping[str, str]
    countries: frozenset[str]
    programs: frozenset[str]
    program_name: str
    signed: datetime.date  # first day of the month of signing
    status: str
    source: str
    note: str = ""

    @property
    def partner_name(self) -> str:
        code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return self.partner.get(code) or self.partner["en"]

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE

    def covers(self, program: str, country: str) -> bool:
        return self.in_force and program in self.programs and country in self.countries


@dataclass(frozen=True)
class ArrangementSet:
    version: str
    arrangements: tuple[Arrangement, ...]

    def covering(self, program: str, country: str) -> Arrangement | None:
        """The arrangement in force recognising `program` issued in `country`, or None."""
        return next((a for a in self.arrangements if a.covers(program, country)), None)

    def recognised_pairs(self) -> frozenset[tuple[str, str]]:
        """Every (program, country) a status may hold to count, CTPAT included."""
        pairs = {(CTPAT, "US")}
        for a in self.arrangements:
            if a.in_force:
                pairs |= {(p, c) for p in a.programs for c in a.countries}
        return frozenset(pairs)


def is_recognised(program: str, country: str) -> bool:
    """Whether a status in `program` issued by `country` meets the status requirement:
    CTPAT, or a program with an MRA in force with the United States."""
    if program == CTPAT:
        return True
    return load_arrangements().covering(program, country) is not None


@functools.cache
def load_arrangements(path: Path = ARRANGEMENTS_FILE) -> ArrangementSet:
    """Read and check the arrangements file (cached: it changes only with a release)."""
    data = read_toml(path, error=ArrangementFileError)
    return parse_arrangements(data, source=path.name)


def parse_arrangements(data: Mapping[str, Any], source: str = "arrangements") -> ArrangementSet:
    unknown_top = set(data) - {"version", "arrangement"}
    if unknown_top:
        raise ArrangementFileError(
            f"{source}: unknown top-level key(s) {sorted(unknown_top)}; "
            "expected 'version' and [[arrangement]] tables."
        )
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ArrangementFileError(f'{source}: set version = "YYYY-MM" at the top of the file.')
    raw = data.get("arrangement")
    if not isinstance(raw, list) or not raw:
        raise ArrangementFileError(f"{source}: no [[arrangement]] tables found.")
    seen: set[str] = set()
    items = []
    for number, item in enumerate(raw, start=1):
        arrangement = _parse_one(item, f"{source}, arrangement {number}")
        if arrangement.id in seen:
            raise ArrangementFileError(
                f"{source}, arrangement {number}: id {arrangement.id!r} is used twice; "
                "give each arrangement its own id."
            )
        seen.add(arrangement.id)
        items.append(arrangement)
    return ArrangementSet(version=version, arrangements=tuple(items))


def _parse_one(item: Any, where: str) -> Arrangement:
    if not isinstance(item, dict):
        raise ArrangementFileError(f"{where}: must be a table.")
    where = f"{where} ({item.get('id', 'no id')})"
    unknown = set(item) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if unknown:
        raise ArrangementFileError(
            f"{where}: unknown field(s) {sorted(unknown)}; "
            f"allowed: {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)}."
        )
    missing = [f for f in REQUIRED_FIELDS if f not in item]
    if missing:
        raise ArrangementFileError(f"{where}: missing field(s) {', '.join(missing)}.")
    ident = item["id"]
    if not isinstance(ident, str) or not _ID.fullmatch(ident):
        raise ArrangementFileError(f"{where}, id: use lower case letters, digits and '_'.")
    partner = item["partner"]
    if not isinstance(partner, dict) or any(
        not isinstance(partner.get(lang), str) or not partner[lang].strip() for lang in LANGUAGES
    ):
        raise ArrangementFileError(
            f'{where}, partner: give the name in every language: {{ en = "…", es = "…" }}.'
        )
    codes = item["countries"]
    if not isinstance(codes, list) or not codes:
        raise ArrangementFileError(f'{where}, countries: a list of ISO codes, e.g. ["CA"].')
    bad = [c for c in codes if not isinstance(c, str) or c not in countries]
    if bad:
        raise ArrangementFileError(
            f"{where}, countries: {bad} are not two-letter ISO country codes."
        )
    programs = item["programs"]
    if not isinstance(programs, list) or not programs:
        raise ArrangementFileError(f'{where}, programs: a list of program codes, e.g. ["aeo"].')
    unknown_programs = sorted(set(map(str, programs)) - FOREIGN_PROGRAMS)
    if unknown_programs:
        raise ArrangementFileError(
            f"{where}, programs: unknown code(s) {unknown_programs}; "
            f"use one of {', '.join(sorted(FOREIGN_PROGRAMS))}."
        )
    signed = _month(item["signed"], where)
    if item["status"] not in STATUSES:
        raise ArrangementFileError(f"{where}, status: use one of {', '.join(STATUSES)}.")
    for field in ("program_name", "source"):
        if not isinstance(item[field], str) or not item[field].strip():
            raise ArrangementFileError(f"{where}, {field}: must be a non-empty text.")
    if not str(item["source"]).startswith(("https://", "http://")):
        raise ArrangementFileError(f"{where}, source: give a web address (https://…).")
    note = item.get("note", "")
    if not isinstance(note, str):
        raise ArrangementFileError(f"{where}, note: must be a text.")
    return Arrangement(
        id=ident,
        partner={lang: partner[lang].strip() for lang in LANGUAGES},
        countries=frozenset(codes),
        programs=frozenset(programs),
        program_name=item["program_name"].strip(),
        signed=signed,
        status=item["status"],
        source=item["source"].strip(),
        note=note.strip(),
    )


def _month(value: Any, where: str) -> datetime.date:
    match = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ArrangementFileError(f'{where}, signed: write the year and month, e.g. "2012-05".')
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)
