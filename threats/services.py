"""The threat picture of a set of places, read by the risk assessment.

`country_threats` is the one entry point other apps use: give it the places a supply
chain touches (country code, region code or "") and it answers, for each place, the
rating per category, the highest level, whether any rating used is older than a year
and which categories nobody has rated. It never fills a gap with a default: an unrated
category stays unrated and a place with no rating at all has level None.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from threats.models import LEVEL_ORDER, Category, ThreatRating, is_stale

if TYPE_CHECKING:
    from companies.models import Company


@dataclass(frozen=True)
class CountryThreat:
    country: str  # ISO 3166-1 alpha-2
    region: str  # ISO 3166-2 code, "" for the whole country
    level: str | None  # highest category level "H"/"M"/"L"; None when nothing is rated
    by_category: dict[str, str]  # category -> level
    stale: bool  # any rating used is older than a year
    unrated: list[str]  # categories with no rating, in category order


def highest_level(levels: Iterable[str]) -> str | None:
    return max(levels, key=LEVEL_ORDER.__getitem__, default=None)


def country_threats(
    company: Company,
    places: Iterable[tuple[str, str]],
    today: datetime.date | None = None,
) -> dict[tuple[str, str], CountryThreat]:
    """The threat picture of each (country, region) place for `company`.

    A region falls back, category by category, to the rating of its whole country: a
    member who rated only Chihuahua's theft threat still sees Mexico's terrorism rating
    for Chihuahua. Codes are compared in upper case; the answer is keyed by the places
    exactly as given.
    """
    today = today or timezone.localdate()
    wanted = [(place, (place[0].strip().upper(), place[1].strip().upper())) for place in places]
    countries = {country for _place, (country, _region) in wanted}
    ratings = (
        list(ThreatRating.objects.filter(company=company, country__in=countries))
        if countries
        else []
    )
    return threats_from_ratings(ratings, wanted, today)


def threats_from_ratings(
    ratings: Iterable[ThreatRating],
    wanted: Iterable[tuple[tuple[str, str], tuple[str, str]]],
    today: datetime.date,
) -> dict[tuple[str, str], CountryThreat]:
    """`country_threats` on ratings already loaded; `wanted` pairs each caller's key with
    its (country, region) in upper case. For pages that show the ratings themselves."""
    by_place: dict[tuple[str, str], dict[str, ThreatRating]] = {}
    for rating in ratings:
        by_place.setdefault((str(rating.country), rating.region), {})[rating.category] = rating
    answer: dict[tuple[str, str], CountryThreat] = {}
    for place, (country, region) in wanted:
        used = dict(by_place.get((country, ""), {}))
        if region:
            used.update(by_place.get((country, region), {}))
        by_category = {c: used[c].level for c in Category.values if c in used}
        answer[place] = CountryThreat(
            country=country,
            region=region,
            level=highest_level(by_category.values()),
            by_category=by_category,
            stale=any(is_stale(r.rated_on, today) for r in used.values()),
            unrated=[c for c in Category.values if c not in used],
        )
    return answer
