"""Country names and codes to ISO 3166-1 alpha-2, through rigour's territory database."""

from __future__ import annotations

from functools import lru_cache

from rigour.territories import lookup_territory

# Values the lists use for "no country" that must not resolve to anything.
_NOT_COUNTRIES = frozenset({"", "-0-", "undetermined", "unknown", "n/a", "none", "zz", "xx"})


@lru_cache(maxsize=8192)
def to_iso2(value: str | None) -> str | None:
    """``'Cuba'``, ``'CU'``, ``'Korea, North'`` → ``'cu'``, ``'cu'``, ``'kp'``; None if unknown."""
    if value is None:
        return None
    text = value.strip().strip(".").strip()
    if text.lower() in _NOT_COUNTRIES:
        return None
    if len(text) == 2 and text.isascii() and text.isalpha():
        # ISO-2 codes need no lookup (the territory name table takes seconds to build).
        return text.lower()
    territory = lookup_territory(text)
    if territory is None:
        return None
    code = territory.ftm_country or territory.code
    if not code or len(code) != 2:
        return None
    return str(code).lower()
