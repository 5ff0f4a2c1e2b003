"""Reading and checking a ratings CSV before anything is written.

`check_file` reads every row and returns the cleaned rows and the errors, each naming
the row (as numbered in a spreadsheet, header = row 1), the column and what would be
accepted. `write_rows` writes a file without errors in one transaction, all or nothing:
a row for a country, region and category already rated replaces that rating (its
earlier values stay in the audit log), any other row adds a rating.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from companies.models import Company
from core.importing import ImportFileError, Row, read_rows
from threats.models import Category, Level, ThreatRating
from threats.places import find_country, find_region, plain

COLUMNS = ("country", "region", "category", "level", "source", "source_url", "rated_on")
OPTIONAL_COLUMNS = ("note",)
REQUIRED = ("country", "category", "level", "source", "rated_on")
SOURCE_MAX = int(ThreatRating._meta.get_field("source").max_length or 300)
URL_MAX = int(ThreatRating._meta.get_field("source_url").max_length or 500)
MAX_ROWS = 20_000
_FILLER_WORDS = frozenset({"and", "or", "y", "e", "o", "u"})
# Spanish speakers rate "la amenaza" (feminine) as often as "el riesgo" (masculine).
_EXTRA_LEVELS = {"alta": "H", "alto": "H", "media": "M", "medio": "M", "baja": "L", "bajo": "L"}


@dataclass
class CheckResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})


def _category_key(text: str) -> str:
    return "".join(w for w in plain(text.replace("_", " ")).split() if w not in _FILLER_WORDS)


def category_lookup() -> dict[str, str]:
    """Category codes and names in English and Spanish, accents and "and"/"y" ignored."""
    lookup: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            for value, label in Category.choices:
                lookup[_category_key(value)] = value
                lookup[_category_key(str(label))] = value
    return lookup


def level_lookup() -> dict[str, str]:
    """H/M/L and the level names in English and Spanish."""
    lookup = dict(_EXTRA_LEVELS)
    for language in ("en", "es"):
        with translation.override(language):
            for value, label in Level.choices:
                lookup[plain(value)] = value
                lookup[plain(str(label))] = value
    return lookup


def read_table(upload: IO[bytes] | bytes) -> Iterator[Row]:
    """Rows of a CSV file (UTF-8, comma or semicolon separated), header first.

    Read through `core.importing.read_rows` with this import's row limit; raises
    `ImportFileError` when the file is refused.
    """
    return read_rows(upload, "ratings.csv", kinds=("csv",), max_rows=MAX_ROWS)


def _header_errors(header: list[str], result: CheckResult) -> None:
    allowed = ", ".join(COLUMNS + OPTIONAL_COLUMNS)
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS + OPTIONAL_COLUMNS]
    if missing:
        result.error(
            1,
            ", ".join(missing),
            _("Required column missing. Columns: %(cols)s.") % {"cols": allowed},
        )
    if unknown:
        result.error(
            1, ", ".join(unknown), _("Unknown column. Columns: %(cols)s.") % {"cols": allowed}
        )


def check_rows(company: Company, table: Iterable[Row]) -> CheckResult:
    result = CheckResult()
    iterator = iter(table)
    first = next(iterator, None)
    header = [h.lower() for h in first.values] if first else []
    _header_errors(header, result)
    if result.errors:
        return result
    categories = category_lookup()
    levels = level_lookup()
    today = timezone.localdate()
    existing = {
        (str(r.country), r.region, r.category): r
        for r in ThreatRating.objects.filter(company=company)
    }
    seen: dict[tuple[str, str, str], int] = {}
    url_ok = URLValidator(schemes=["http", "https"])
    for line in iterator:
        number, values = line.number, line.values
        raw = dict(zip(header, values, strict=False))
        row: dict[str, Any] = {c: raw.get(c, "") for c in COLUMNS + OPTIONAL_COLUMNS}
        problems: list[tuple[str, str]] = []

        for column in REQUIRED:
            if not row[column] and column != "source":
                problems.append((column, _("This value is required.")))
        if not row["source"]:
            problems.append(
                (
                    "source",
                    _(
                        "Say where this rating comes from: a rating without a source "
                        "cannot be imported."
                    ),
                )
            )
        elif len(row["source"]) > SOURCE_MAX:
            problems.append(("source", _("At most %(n)d characters.") % {"n": SOURCE_MAX}))
        if row["source_url"]:
            try:
                if len(row["source_url"]) > URL_MAX:
                    raise ValidationError("too long")
                url_ok(row["source_url"])
            except ValidationError:
                problems.append(
                    ("source_url", _("Not a web address; write it as https://… or leave it empty."))
                )
        country = find_country(row["country"]) if row["country"] else None
        if row["country"] and country is None:
            problems.append(
                (
                    "country",
                    _("Unknown country. Use a two-letter ISO code such as MX, or its name."),
                )
            )
        row["country"] = country
        region = ""
        if row["region"] and country:
            region = find_region(country, row["region"]) or ""
            if not region:
                problems.append(
                    (
                        "region",
                        _(
                            "Not a region of %(country)s. Use an ISO 3166-2 code such as "
                            "MX-CHH or the region's name, or leave it empty for the whole "
                            "country."
                        )
                        % {"country": country},
                    )
                )
        row["region"] = region
        if row["category"]:
            category = categories.get(_category_key(row["category"]))
            if category is None:
                problems.append(
                    (
                        "category",
                        _("Unknown threat category. Accepted: %(values)s.")
                        % {"values": ", ".join(Category.values)},
                    )
                )
            row["category"] = category
        if row["level"]:
            level = levels.get(plain(row["level"]))
            if level is None:
                problems.append(("level", _("Unknown level. Use H, M or L (High, Medium, Low).")))
            row["level"] = level
        if row["rated_on"]:
            try:
                rated_on = datetime.date.fromisoformat(row["rated_on"][:10])
            except ValueError:
                problems.append(("rated_on", _("Write the date as YYYY-MM-DD, e.g. 2026-03-31.")))
            else:
                if rated_on > today:
                    problems.append(("rated_on", _("The rating date cannot be in the future.")))
                row["rated_on"] = rated_on.isoformat()
        if not problems:
            key = (row["country"], row["region"], row["category"])
            if key in seen:
                problems.append(
                    (
                        "category",
                        _("Same country, region and category as row %(row)d.") % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = number
                before = existing.get(key)
                row["replaces"] = (
                    {"level": before.level, "rated_on": before.rated_on.isoformat()}
                    if before is not None
                    else None
                )
                result.rows.append(row)
        for column, message in problems:
            result.error(number, column, message)
    if not result.rows and not result.errors:
        result.error(2, "", _("The file has no rating rows."))
    return result


def check_file(company: Company, upload: IO[bytes] | bytes) -> CheckResult:
    """The checked rows of a file, or its errors; a refused file gives one error, no rows."""
    try:
        return check_rows(company, read_table(upload))
    except ImportFileError as exc:
        result = CheckResult()
        result.error(exc.row or 1, exc.column, exc.message)
        return result


def write_rows(company: Company, rows: list[dict[str, Any]], user: User | None) -> tuple[int, int]:
    """Write every rating of a checked file, or none. Returns (added, replaced)."""
    added = replaced = 0
    with transaction.atomic():
        existing = {
            (str(r.country), r.region, r.category): r
            for r in ThreatRating.objects.select_for_update().filter(company=company)
        }
        for row in rows:
            rating = existing.get((row["country"], row["region"], row["category"]))
            if rating is None:
                rating = ThreatRating(
                    company=company,
                    country=row["country"],
                    region=row["region"],
                    category=row["category"],
                )
                added += 1
            else:
                replaced += 1
            rating.level = row["level"]
            rating.source = row["source"]
            rating.source_url = row["source_url"]
            rating.rated_on = datetime.date.fromisoformat(row["rated_on"])
            rating.note = row.get("note", "")
            rating.rated_by = user
            # The rows were checked on upload; the model's own rules run again here (a
            # source, a date not in the future, a region of the country). Uniqueness is
            # the database's constraint, so no query per row for it.
            rating.full_clean(exclude=["company", "rated_by"], validate_constraints=False)
            rating.save()
    return added, replaced
