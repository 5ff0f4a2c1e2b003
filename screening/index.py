"""The screening index of the active list versions, built once per process.

Building takes a few seconds (normalising ~30,000 names), so the index is cached in
memory and rebuilt only when the set of active versions changes (a new load).
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from screening.models import ListVersion
from screening_engine import DirectoryLoad, ScreeningIndex, load_directory

_lock = threading.Lock()
_cache: dict[tuple[int, ...], ScreeningIndex] = {}


def default_lists_dir() -> Path:
    return Path(settings.SHARED_DATA_DIR) / "watchlists"


def active_index() -> tuple[ScreeningIndex, list[ListVersion]]:
    """The index of the active versions; falls back to the shared list files when the
    database holds none (development, tests)."""
    versions = list(ListVersion.objects.active())
    key = tuple(v.pk for v in versions)
    with _lock:
        if key not in _cache:
            _cache.clear()
            if versions:
                entities = [e for v in versions for e in v.entities()]
            else:
                load = directory_load(default_lists_dir(), allow_truncated_tail=True)
                entities = [e for item in load.newest_per_source() for e in item.entities]
            _cache[key] = ScreeningIndex(entities)
        return _cache[key], versions


def directory_load(directory: Path, *, allow_truncated_tail: bool = False) -> DirectoryLoad:
    return load_directory(directory, allow_truncated_tail=allow_truncated_tail)


def clear_cache() -> None:
    with _lock:
        _cache.clear()
