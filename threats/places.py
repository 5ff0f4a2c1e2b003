"""Country and region names and look-ups for threat ratings.

Countries come from django-countries (its names follow the active language). Regions are
ISO 3166-2 subdivisions from pycountry, whose own gettext catalogues give their Spanish
names ("New York" → "Nueva York"); a name without a translation stays as ISO writes it.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from typing import Any

import pycountry
from django.utils import translation
from django_countries import countries


def plain(text: str) -> str:
    """Lower case, no accents, no punctuation: "Organized crime" = "organized-CRIME"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


@functools.cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _subdivisions_of(country: str) -> list[Any]:
    found = pycountry.subdivisions.get(country_code=country)  # type: ignore[no-untyped-call]
    return list(found or [])


def _language(language: str | None = None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def region_name(code: str, language: str | None = None) -> str:
    """The subdivision's name in the active (or given) language; the code when unknown."""
    return _region_name(code.upper(), _language(language)) if code else ""


@functools.cache
def _region_name(code: str, language: str) -> str:
    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if sub is None:
        return code
    if language == "en":
        return str(sub.name)
    return _catalogue(language).gettext(str(sub.name))


def country_name(code: str) -> str:
    """The country's name in the active language (from django-countries)."""
    return _country_names(_language()).get(code.upper(), code)


@functools.cache
def _country_names(language: str) -> dict[str, str]:
    with translation.override(language):
        return {code: str(name) for code, name in countries}


@functools.cache
def _country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            for code, name in countries:
                lookup[plain(code)] = code
                lookup[plain(str(name))] = code
    for country in pycountry.countries:
        lookup.setdefault(plain(country.alpha_3), country.alpha_2)
    return lookup


def find_country(text: str) -> str | None:
    """ISO alpha-2 code for a code (MX, MEX) or an English or Spanish name (Mexico, México)."""
    return _country_lookup().get(plain(text)) if text.strip() else None


def find_region(country: str, text: str) -> str | None:
    """ISO 3166-2 code of a subdivision of `country` given as its code (MX-CHH, or CHH) or
    its English or Spanish name; None when the country has no such subdivision."""
    wanted = plain(text)
    if not wanted:
        return None
    for sub in _subdivisions_of(country):
        code = str(sub.code)
        names = {plain(code), plain(code.split("-", 1)[1]), plain(str(sub.name))}
        names.add(plain(_catalogue("es").gettext(str(sub.name))))
        if wanted in names:
            return code
    return None


def region_choices(country: str) -> list[tuple[str, str]]:
    """(code, name) of the country's subdivisions, by name in the active language."""
    subs = [(str(s.code), region_name(str(s.code))) for s in _subdivisions_of(country)]
    return sorted(subs, key=lambda pair: plain(pair[1]))
