"""Watchlist screening engine for OpenCTPAT (plain Python, no Django).

Load published sanctions/export-control lists (:mod:`screening_engine.loaders`), build a
:class:`ScreeningIndex` from their entities, and screen business-partner names one at a
time (:meth:`ScreeningIndex.search`, with explanations) or in batches on several cores
(:func:`screen_batch`, :func:`screen_file`).

Scores run from 0 to 100. The default alert threshold, :data:`DEFAULT_THRESHOLD`, is
calibrated on ``bench/screening.py`` (real SDN/consolidated names perturbed in 13 ways,
against 3,000 easy, hard and near-miss negatives): at that score about 1 % of the
negatives alert. How the score is built is documented in :mod:`screening_engine.matcher`
and docs/screening.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batch import InputProblem, PartnerRow, read_partner_csv, screen_batch, screen_file
    from .entities import (
        Address,
        Entity,
        EntityType,
        Identifier,
        ListDiff,
        ListFormatError,
        ListId,
        ListVersion,
        LoadedList,
        diff_entities,
        diff_versions,
    )
    from .loaders import DirectoryLoad, load_directory, load_path
    from .matcher import ScreeningIndex
    from .results import DEFAULT_THRESHOLD, Explanation, Hit, Query, TokenMatch

# Names are imported when first used: the matcher pulls in numpy, scipy and rapidfuzz
# (seconds), which a process that only reads list versions (every Django start-up
# imports screening.models) should not pay for.
_MODULE_OF = {
    **dict.fromkeys(
        ("InputProblem", "PartnerRow", "read_partner_csv", "screen_batch", "screen_file"), "batch"
    ),
    **dict.fromkeys(
        (
            "Address",
            "Entity",
            "EntityType",
            "Identifier",
            "ListDiff",
            "ListFormatError",
            "ListId",
            "ListVersion",
            "LoadedList",
            "diff_entities",
            "diff_versions",
        ),
        "entities",
    ),  # fmt: skip
    **dict.fromkeys(("DirectoryLoad", "load_directory", "load_path"), "loaders"),
    **dict.fromkeys(("DEFAULT_THRESHOLD", "Explanation", "Hit", "Query", "TokenMatch"), "results"),
    "ScreeningIndex": "matcher",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_THRESHOLD",
    "Address",
    "DirectoryLoad",
    "Entity",
    "EntityType",
    "Explanation",
    "Hit",
    "Identifier",
    "InputProblem",
    "ListDiff",
    "ListFormatError",
    "ListId",
    "ListVersion",
    "LoadedList",
    "PartnerRow",
    "Query",
    "ScreeningIndex",
    "TokenMatch",
    "diff_entities",
    "diff_versions",
    "load_directory",
    "load_path",
    "read_partner_csv",
    "screen_batch",
    "screen_file",
]
