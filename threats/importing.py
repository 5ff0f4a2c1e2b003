"""The threat-ratings import (CSV): its columns, the check of one row, and the write.

Reading, the header, empty and unparseable cells and the problems (row, column, value,
reason) are `core.importing.Importer`'s. `write` writes a checked file in one transaction,
all or nothing: a row for a country, region and category already rated replaces that
rating (its earlier values stay in the audit log), any other row adds a rating.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from companies.models import Company
from core.importing import (
    Checked,
    Column,
    Importer,
    Invalid,
    RowCheck,
    choice_parser,
    date_parser,
)
from threats.models import Category, Level, ThreatRating
from threats.places import find_country, find_region, plain

SOURCE_MAX = int(ThreatRating._meta.get_field("source").max_length or 300)
URL_MAX = int(ThreatRating._meta.get_field("source_url").max_length or 500)
MAX_ROWS = 20_000
_FILLER_WORDS = frozenset({"and", "or", "y", "e", "o", "u"})
# Spanish speakers rate "la amenaza" (feminine) as often as "el riesgo" (masculine).
_EXTRA_LEVELS = {"alta": "H", "alto": "H", "media": "M", "medio": "M", "baja": "L", "bajo": "L"}
_url_ok = URLValidator(schemes=["http", "https"])


def _category_key(text: str) -> str:
    return "".join(w for w in plain(text.replace("_", " ")).split() if w not in _FILLER_WORDS)


def _choice_lookup(choices: Any, key: Callable[[str], str]) -> dict[str, str]:
    """Each value of `choices` by `key` of itself and of its label in English and Spanish."""
    lookup: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            for value, label in choices:
                lookup[key(value)] = value
                lookup[key(str(label))] = value
    return lookup


def category_lookup() -> dict[str, str]:
    """Category codes and names in English and Spanish, accents and "and"/"y" ignored."""
    return _choice_lookup(Category.choices, _category_key)


def level_lookup() -> dict[str, str]:
    """H/M/L and the level names in English and Spanish."""
    return {**dict(_EXTRA_LEVELS), **_choice_lookup(Level.choices, plain)}


def _country(text: str) -> str:
    code = find_country(text)
    if code is None:
        raise Invalid(_("Unknown country; use a two-letter ISO code such as MX, or its name."))
    return code


def _category(text: str) -> str:
    found = _categories().get(_category_key(text))
    if found is None:
        raise Invalid(
            _("Unknown threat category; write one of: %(values)s.")
            % {"values": ", ".join(Category.values)}
        )
    return found


_CATEGORY_CACHE: dict[str, str] = {}


def _categories() -> dict[str, str]:
    if not _CATEGORY_CACHE:
        _CATEGORY_CACHE.update(category_lookup())
    return _CATEGORY_CACHE


def _source_url(text: str) -> str:
    try:
        if len(text) > URL_MAX:
            raise ValidationError("too long")
        _url_ok(text)
    except ValidationError:
        raise Invalid(_("Not a web address; write it as https://… or leave it empty.")) from None
    return text


def _rated_on(text: str) -> str:
    day = date_parser(text)
    if day > timezone.localdate():
        raise Invalid(_("The rating date cannot be in the future; write the day it was rated."))
    return day.isoformat()


class ThreatImporter(Importer[dict[str, Any]]):
    columns = (
        Column(
            "country",
            "país",
            required=True,
            parse=_country,
            help=gettext_lazy("ISO code (MX) or name in English or Spanish"),
        ),
        Column(
            "region",
            "región",
            help=gettext_lazy(
                "optional; ISO 3166-2 code (MX-CHH) or name; empty for the whole country"
            ),
        ),
        Column(
            "category",
            "categoría",
            required=True,
            parse=_category,
            help=gettext_lazy(
                "terrorism, contraband, human_smuggling, organized_crime, theft, agricultural, "
                "country_conditions, or the category's name in English or Spanish"
            ),
        ),
        Column(
            "level",
            "nivel",
            required=True,
            parse=choice_parser(
                level_lookup, gettext_lazy("Unknown level; use H, M or L (High, Medium, Low).")
            ),
            help=gettext_lazy("H, M or L (High / Medium / Low, Alto / Medio / Bajo)"),
        ),
        Column(
            "source",
            "fuente",
            required=True,
            max_length=SOURCE_MAX,
            required_reason=gettext_lazy(
                "Say where this rating comes from: a rating without a source cannot be imported."
            ),
            help=gettext_lazy("required; where the rating comes from"),
        ),
        Column(
            "source_url",
            "url_fuente",
            parse=_source_url,
            help=gettext_lazy("optional web address of the source"),
        ),
        Column(
            "rated_on",
            "fecha_calificación",
            required=True,
            parse=_rated_on,
            help=gettext_lazy("date of the rating, YYYY-MM-DD, not in the future"),
        ),
        Column("note", "nota", help=gettext_lazy("optional note")),
    )
    kinds = ("csv",)
    template_name = "threat-ratings-template"
    no_rows_reason = gettext_lazy("The file has no rating rows.")

    def __init__(self, company: Company, user: User | None = None) -> None:
        self.company = company
        self.user = user
        self.existing: dict[tuple[str, str, str], ThreatRating] | None = None
        self.seen: dict[tuple[str, str, str], int] = {}

    def max_rows(self) -> int:
        return MAX_ROWS

    def build_row(self, row: RowCheck) -> dict[str, Any] | None:
        values = dict(row.values)
        country, region = values["country"], row.text["region"]
        values["region"] = ""
        if region and country:
            values["region"] = find_region(country, region) or ""
            if not values["region"]:
                row.fail(
                    "region",
                    _(
                        "Not a region of %(country)s. Use an ISO 3166-2 code such as MX-CHH or "
                        "the region's name, or leave it empty for the whole country."
                    )
                    % {"country": country},
                )
        if not row.ok:
            return None
        key = (values["country"], values["region"], values["category"])
        if key in self.seen:
            row.fail(
                "category",
                _("Same country, region and category as row %(row)d.") % {"row": self.seen[key]},
            )
            return None
        self.seen[key] = row.number
        before = self._existing().get(key)
        values["replaces"] = (
            {"level": before.level, "rated_on": before.rated_on.isoformat()}
            if before is not None
            else None
        )
        return values

    def _existing(self) -> dict[tuple[str, str, str], ThreatRating]:
        if self.existing is None:
            self.existing = {
                (str(r.country), r.region, r.category): r
                for r in ThreatRating.objects.filter(company=self.company)
            }
        return self.existing

    def write(self, rows: list[dict[str, Any]]) -> tuple[int, int]:
        """Write every rating of a checked file. Returns (added, replaced)."""
        added = replaced = 0
        existing = {
            (str(r.country), r.region, r.category): r
            for r in ThreatRating.objects.select_for_update().filter(company=self.company)
        }
        for row in rows:
            rating = existing.get((row["country"], row["region"], row["category"]))
            if rating is None:
                rating = ThreatRating(
                    company=self.company,
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
            rating.rated_by = self.user
            # The rows were checked on upload; the model's own rules run again here (a
            # source, a date not in the future, a region of the country). Uniqueness is
            # the database's constraint, so no query per row for it.
            rating.full_clean(exclude=["company", "rated_by"], validate_constraints=False)
            rating.save()
        return added, replaced


COLUMNS = tuple(c.name for c in ThreatImporter.columns if c.name != "note")
OPTIONAL_COLUMNS = ("note",)


def check_file(company: Company, upload: IO[bytes] | bytes) -> Checked[dict[str, Any]]:
    """The checked rows of a file, or its problems; a refused file gives one problem."""
    return ThreatImporter(company).check(upload, "ratings.csv")


def write_rows(company: Company, rows: list[dict[str, Any]], user: User | None) -> tuple[int, int]:
    """Write every rating of a checked file, or none. Returns (added, replaced)."""
    with transaction.atomic():
        return ThreatImporter(company, user).write(rows)
