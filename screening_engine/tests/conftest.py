"""Shared fixtures: the real list files, loaded and indexed once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from screening_engine import LoadedList, ScreeningIndex
from screening_engine.loaders import load_bis_dpl, load_csl, load_ofac_legacy

REPO_ROOT = Path(__file__).resolve().parents[2]
# The same folder as the portal's CTPAT_SHARED_DATA_DIR (portal/settings.py).
WATCHLISTS = (
    Path(os.environ.get("CTPAT_SHARED_DATA_DIR") or REPO_ROOT.parent / "shared" / "data")
    / "watchlists"
)


@pytest.fixture(scope="session")
def watchlists() -> Path:
    if not WATCHLISTS.is_dir():
        pytest.skip(f"real list files not found at {WATCHLISTS}")
    return WATCHLISTS


@pytest.fixture(scope="session")
def sdn(watchlists: Path) -> LoadedList:
    return load_ofac_legacy(watchlists / "ofac_sdn_2021-07-07")


@pytest.fixture(scope="session")
def cons(watchlists: Path) -> LoadedList:
    return load_ofac_legacy(watchlists / "ofac_consolidated_2025-12-19")


@pytest.fixture(scope="session")
def csl(watchlists: Path) -> LoadedList:
    return load_csl(
        watchlists / "trade_gov_csl_2023-11-30_subset" / "csl.csv", allow_truncated_tail=True
    )


@pytest.fixture(scope="session")
def dpl(watchlists: Path) -> LoadedList:
    return load_bis_dpl(watchlists / "bis_dpl_2022-09-07" / "dpl.txt")


@pytest.fixture(scope="session")
def index(sdn: LoadedList, cons: LoadedList, csl: LoadedList, dpl: LoadedList) -> ScreeningIndex:
    return ScreeningIndex([*sdn.entities, *cons.entities, *csl.entities, *dpl.entities])
