"""The screening index of the active list versions, built once per set of versions.

Building normalises ~30,000 names (seconds to tens of seconds), so a built index is
stored under ``SCREENING_INDEX_DIR`` keyed by the versions' SHA-256
(:mod:`screening_engine.store`) and memory-mapped by every process that needs it (well
under a second, pages shared). Each process also keeps the mapped index in memory and
maps another only when the set of active versions changes (a new load).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, connection

from screening.models import ListVersion

if TYPE_CHECKING:
    from screening_engine import DirectoryLoad, ScreeningIndex

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_cache: dict[tuple[str, ...], ScreeningIndex] = {}


def _reset_lock_after_fork() -> None:
    # A process forked while the warm-up thread held the lock (gunicorn --preload, batch
    # workers) would otherwise inherit it locked, with no thread left to release it.
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock_after_fork)


@dataclass
class DirectoryIndex:
    """The index of the list files under a folder, with what loading them said."""

    index: ScreeningIndex
    lists: list[dict[str, Any]] = field(default_factory=list)  # source, date, entities
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    built: bool = False


class NoUsableLists(Exception):
    """No list file under a folder could be loaded (what loading said is attached)."""

    def __init__(self, directory: Path, errors: list[str], skipped: list[str]) -> None:
        super().__init__(f"{directory}: no usable list file")
        self.errors = errors
        self.skipped = skipped


def default_lists_dir() -> Path:
    return Path(settings.SHARED_DATA_DIR) / "watchlists"


def index_dir() -> Path | None:
    configured = getattr(settings, "SCREENING_INDEX_DIR", "")
    return Path(configured) if configured else None


def lists_table_ready() -> bool:
    """Whether the database has the list-version table (it is migrated)."""
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except DatabaseError:
        return False
    return ListVersion._meta.db_table in tables


def active_index() -> tuple[ScreeningIndex, list[ListVersion]]:
    """The index of the active versions; falls back to the shared list files when the
    database holds none (development, tests)."""
    versions = list(ListVersion.objects.active())
    key = tuple(f"{v.source}:{v.sha256}" for v in versions)
    with _lock:
        if key not in _cache:
            if versions:
                index = _versions_index(versions)
            else:
                index = directory_index(default_lists_dir(), allow_truncated_tail=True).index
            _cache.clear()
            _cache[key] = index
        return _cache[key], versions


def _versions_index(versions: list[ListVersion]) -> ScreeningIndex:
    from screening_engine import ScreeningIndex
    from screening_engine.store import cached_index, index_key

    def build() -> tuple[ScreeningIndex, dict[str, Any]]:
        return ScreeningIndex([e for v in versions for e in v.entities()]), {}

    key = index_key(f"{v.source}:{v.sha256}" for v in versions)
    index, _extra, built = cached_index(index_dir(), key, build)
    if built:
        logger.info("screening index built for %s", ", ".join(str(v) for v in versions))
    return index


def directory_index(directory: Path, *, allow_truncated_tail: bool = False) -> DirectoryIndex:
    """The index of the newest version of each list under ``directory``.

    Keyed by the files' contents: the files are parsed only when no stored index of
    exactly these files exists. Raises :class:`NoUsableLists` when none loads.
    """
    from screening_engine import ScreeningIndex
    from screening_engine.store import cached_index, directory_digest, index_key

    def build() -> tuple[ScreeningIndex, dict[str, Any]]:
        load = directory_load(directory, allow_truncated_tail=allow_truncated_tail)
        newest = load.newest_per_source()
        if not newest:
            raise NoUsableLists(directory, [str(e) for e in load.errors], list(load.skipped))
        extra = {
            "lists": [
                {
                    "source": item.version.source,
                    "list_date": item.version.list_date.isoformat(),
                    "entities": item.version.counts.get("entities", len(item.entities)),
                }
                for item in newest
            ],
            "errors": [str(e) for e in load.errors],
            "skipped": list(load.skipped),
        }
        return ScreeningIndex([e for item in newest for e in item.entities]), extra

    key = index_key([directory_digest(directory), f"truncated-tail={allow_truncated_tail}"])
    index, extra, built = cached_index(index_dir(), key, build)
    return DirectoryIndex(
        index=index,
        lists=list(extra.get("lists", [])),
        errors=list(extra.get("errors", [])),
        skipped=list(extra.get("skipped", [])),
        built=built,
    )


def directory_load(directory: Path, *, allow_truncated_tail: bool = False) -> DirectoryLoad:
    from screening_engine import load_directory

    return load_directory(directory, allow_truncated_tail=allow_truncated_tail)


def warm_in_background(then: Callable[[], None] | None = None) -> threading.Thread | None:
    """Load the active index in a daemon thread (web process start-up), then call `then`
    (the web process freezes what the index loaded out of the cycle collector's way).

    A search arriving meanwhile waits for the same lock instead of loading twice. A
    database without the screening tables, or any other failure, is logged and left
    to the first search to report.
    """
    if not getattr(settings, "SCREENING_WARM_ON_START", False):
        return None

    def warm() -> None:
        try:
            if lists_table_ready():
                index, _ = active_index()
                # The first search also loads the normaliser's and country tables.
                index.search("warm up", country="US", top=1)
        except Exception:  # a failed warm-up must not stop the process serving pages
            logger.exception("screening index warm-up failed")
        finally:
            connection.close()
        if then is not None:
            then()

    thread = threading.Thread(target=warm, name="screening-warm-up", daemon=True)
    thread.start()
    return thread


def clear_cache() -> None:
    with _lock:
        _cache.clear()
