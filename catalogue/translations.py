"""The shipped Spanish wording of the Minimum Security Criteria.

CBP publishes the criteria in English; field staff and Latin American partners read the
portal in Spanish. `catalogue/data/criteria-es.csv` is the project's own translation of each
shipped criterion's summary, category and focus area. Each row carries the English text it
translates, so a translation is used only where the criterion's English is exactly that
text: a catalogue of one's own with the same IDs but other wording keeps its English (or the
`text_es` its file gave) rather than showing a Spanish text that says something else.

Published catalogues are locked, so the translation is looked up when a page is shown
instead of being written into the criteria: a database loaded before this file existed
reads in Spanish too, and correcting a translation needs no new catalogue version.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "criteria-es.csv"


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(English summary → Spanish summary, English category or focus area → Spanish)."""
    summaries: dict[str, str] = {}
    names: dict[str, str] = {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            summaries[row["summary"]] = row["text_es"]
            names[row["category_name"]] = row["category_name_es"]
            names[row["focus_area"]] = row["focus_area_es"]
    return summaries, names


def spanish_summary(summary: str) -> str | None:
    """The shipped Spanish text of this exact English summary, or None."""
    return _tables()[0].get(summary)


def spanish_name(name: str) -> str | None:
    """The shipped Spanish name of this exact category or focus area, or None."""
    return _tables()[1].get(name)
