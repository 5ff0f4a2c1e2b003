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
from .matcher import DEFAULT_THRESHOLD, Explanation, Hit, Query, ScreeningIndex, TokenMatch

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
