"""A built :class:`ScreeningIndex` kept on disk, so that a process loads it instead of
building it.

Building normalises every listed name (tens of seconds on a loaded machine); loading
the stored arrays takes well under a second. Arrays are memory-mapped read-only, so
every process that loads the same stored index (web workers, task workers, forked batch
workers) shares their pages through the page cache instead of holding its own copy.

One stored index lives in ``<cache dir>/<key>/``, where the key is the SHA-256 of the
list versions' digests and of this engine's scoring code (:func:`index_key`): a new list
version or a change to the normaliser or scorer gives a new key, so a stale index is
never used. A folder is written under a temporary name and renamed when complete, so a
reader never sees half an index, and two processes building the same key at once both
end up with one complete copy.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .entities import Entity
from .matcher import ScreeningIndex
from .normalize import NormalizedName

logger = logging.getLogger(__name__)

#: Bump when the stored layout changes.
INDEX_FORMAT = 1
#: Engine modules whose code decides what an index holds.
_SCORING_MODULES = ("countries.py", "entities.py", "matcher.py", "normalize.py", "store.py")
#: Stored indexes kept besides the one just written (processes may still map older ones;
#: removing a mapped file is safe on POSIX, the pages stay until they are unmapped).
KEEP_OLD = 2
_SEP = "\x00"  # never inside a name: list loaders refuse NUL bytes
_ARRAYS = (
    "name_entity", "name_tok", "name_tokw", "vocab_len", "vocab_generic", "vocab_weight",
    "entity_type", "entity_countries", "entity_has_country", "ngram_idf", "ngram_common",
)  # fmt: skip


def engine_digest() -> str:
    """SHA-256 of the code that builds and scores an index (and of rigour's version)."""
    h = hashlib.sha256(f"format {INDEX_FORMAT}\n".encode())
    here = Path(__file__).parent
    for name in _SCORING_MODULES:
        h.update(name.encode())
        h.update((here / name).read_bytes())
    h.update(metadata.version("rigour").encode())
    return h.hexdigest()


def index_key(list_digests: Iterable[str], *, candidates: int = 20) -> str:
    """The key of the index of these list versions (their SHA-256 digests)."""
    h = hashlib.sha256(engine_digest().encode())
    h.update(f"candidates {candidates}\n".encode())
    for digest in sorted(list_digests):
        h.update(digest.encode() + b"\n")
    return h.hexdigest()


def directory_digest(directory: str | Path) -> str:
    """SHA-256 over every file under ``directory`` (symlinked folders followed)."""
    root = Path(directory)
    h = hashlib.sha256()
    for path in sorted(_walk_files(root)):
        h.update(str(path.relative_to(root)).encode() + b"\n")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _walk_files(root: Path) -> Iterator[Path]:
    seen: set[str] = set()
    for folder, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a symlink loop
            dirnames.clear()
            continue
        seen.add(real)
        for fname in filenames:
            path = Path(folder) / fname
            if path.is_file():
                yield path


# ------------------------------------------------------------------ lazy tables


class StringTable(Sequence[str]):
    """Strings kept as one UTF-8 blob plus offsets; decoded when read."""

    def __init__(self, blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> None:
        self._blob = blob
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        return bytes(self._blob[start:end]).decode("utf-8")


class EntityTable(Sequence[Entity]):
    """Entities kept as JSON; an entity is decoded the first time it is read."""

    def __init__(self, rows: StringTable) -> None:
        self._rows = rows
        self._decoded: dict[int, Entity] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Entity: ...
    @overload
    def __getitem__(self, i: slice) -> list[Entity]: ...
    def __getitem__(self, i: int | slice) -> Entity | list[Entity]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        found = self._decoded.get(i)
        if found is None:
            found = self._decoded[i] = Entity.from_dict(json.loads(self._rows[i]))
        return found


class NormTable(Sequence[NormalizedName]):
    """Normalised listed names (for explanations), decoded when read."""

    def __init__(self, original: StringTable, tokens: StringTable, skeletons: StringTable):
        self._original, self._tokens, self._skeletons = original, tokens, skeletons

    def __len__(self) -> int:
        return len(self._original)

    @overload
    def __getitem__(self, i: int) -> NormalizedName: ...
    @overload
    def __getitem__(self, i: slice) -> list[NormalizedName]: ...
    def __getitem__(self, i: int | slice) -> NormalizedName | list[NormalizedName]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return NormalizedName(
            original=self._original[i],
            tokens=_split(self._tokens[i]),
            skeletons=_split(self._skeletons[i]),
        )


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(_SEP)) if joined else ()


# ------------------------------------------------------------------ save / load


def _save_strings(folder: Path, name: str, strings: Iterable[str]) -> None:
    encoded = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    np.save(folder / f"{name}.blob.npy", np.frombuffer(b"".join(encoded), dtype=np.uint8))
    np.save(folder / f"{name}.offsets.npy", offsets)


def _load_strings(folder: Path, name: str) -> StringTable:
    blob = np.load(folder / f"{name}.blob.npy", mmap_mode="r")
    offsets = np.load(folder / f"{name}.offsets.npy", mmap_mode="r")
    return StringTable(blob, offsets)


def _load_list(folder: Path, name: str) -> list[str]:
    """Strings read for every screened name: decoded once into a list."""
    table = _load_strings(folder, name)
    raw = bytes(table._blob)
    offs = table._offsets.tolist()
    return [raw[offs[i] : offs[i + 1]].decode("utf-8") for i in range(len(offs) - 1)]


def save_index(
    index: ScreeningIndex, folder: str | Path, extra: dict[str, Any] | None = None
) -> None:
    """Write ``index`` into the (new, empty) ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name in _ARRAYS:
        np.save(out / f"{name}.npy", np.ascontiguousarray(getattr(index, name)))
    block = index.block_t
    np.save(out / "block_data.npy", block.data)
    np.save(out / "block_indices.npy", block.indices)
    np.save(out / "block_indptr.npy", block.indptr)
    _save_strings(out, "name_text", index.name_text)
    _save_strings(out, "name_keys", index.name_keys)
    _save_strings(out, "name_display", index.name_display)
    _save_strings(out, "norm_tokens", (_SEP.join(n.tokens) for n in index.name_norms))
    _save_strings(out, "norm_skeletons", (_SEP.join(n.skeletons) for n in index.name_norms))
    _save_strings(out, "vocab", index.vocab)
    _save_strings(out, "ngrams", index.ngram_index)
    _save_strings(
        out, "entities", (json.dumps(e.to_dict(), ensure_ascii=False) for e in index.entities)
    )
    meta = {
        "format": INDEX_FORMAT,
        "candidates": index.candidates,
        "max_idf": index.max_idf,
        "min_query_weight": index.min_query_weight,
        "country_column": index.country_column,
        "block_shape": list(block.shape),
        "extra": extra or {},
    }
    # Written last: a folder without meta.json is incomplete.
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def load_index(folder: str | Path) -> tuple[ScreeningIndex, dict[str, Any]]:
    """Map a stored index; returns it and the ``extra`` data saved with it."""
    src = Path(folder)
    meta = json.loads((src / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != INDEX_FORMAT:
        raise ValueError(
            f"{src}: stored index format {meta.get('format')}, expected {INDEX_FORMAT}"
        )
    index = ScreeningIndex.__new__(ScreeningIndex)
    for name in _ARRAYS:
        setattr(index, name, np.load(src / f"{name}.npy", mmap_mode="r"))
    index.block_t = sparse.csr_matrix(
        (
            np.load(src / "block_data.npy", mmap_mode="r"),
            np.load(src / "block_indices.npy", mmap_mode="r"),
            np.load(src / "block_indptr.npy", mmap_mode="r"),
        ),
        shape=tuple(meta["block_shape"]),
        copy=False,
    )
    name_text = _load_strings(src, "name_text")
    index.name_text = name_text
    index.name_keys = _load_list(src, "name_keys")
    index.name_display = _load_list(src, "name_display")
    index.name_norms = NormTable(
        name_text, _load_strings(src, "norm_tokens"), _load_strings(src, "norm_skeletons")
    )
    index.vocab = _load_list(src, "vocab")
    index.vocab_index = {s: i for i, s in enumerate(index.vocab)}
    index.ngram_index = {s: i for i, s in enumerate(_load_list(src, "ngrams"))}
    index._gram_cache = {}
    index.entities = EntityTable(_load_strings(src, "entities"))
    index.candidates = int(meta["candidates"])
    index.max_idf = float(meta["max_idf"])
    index.min_query_weight = float(meta["min_query_weight"])
    index.country_column = {str(k): int(v) for k, v in meta["country_column"].items()}
    index.reference = None
    extra: dict[str, Any] = meta.get("extra") or {}
    return index, extra


def cached_index(
    cache_dir: str | Path | None,
    key: str,
    build: Callable[[], tuple[ScreeningIndex, dict[str, Any]]],
) -> tuple[ScreeningIndex, dict[str, Any], bool]:
    """The stored index of ``key``, built by ``build()`` and stored when missing.

    Returns the index, the extra data stored with it and whether it was built now. With
    no ``cache_dir`` the index is built every time; a folder that cannot be written
    (read-only file system, full disk) is logged and the built index served.
    """
    if cache_dir is None:
        index, extra = build()
        return index, extra, True
    root = Path(cache_dir)
    target = root / key
    if (target / "meta.json").is_file():
        try:
            index, extra = load_index(target)
            return index, extra, False
        except (OSError, ValueError):
            shutil.rmtree(target, ignore_errors=True)  # unreadable: build again
    index, extra = build()
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=root))
    except OSError as exc:
        # A read-only or full disk costs speed, not screening: serve the built index.
        logger.warning("screening index not stored in %s: %s", root, exc)
        return index, extra, True
    try:
        save_index(index, tmp, extra)
        try:
            os.rename(tmp, target)
        except OSError:
            # Another process stored the same key first; its copy is as good as ours.
            if not (target / "meta.json").is_file():
                raise
    except OSError as exc:
        logger.warning("screening index not stored in %s: %s", root, exc)
        return index, extra, True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(root, keep=target)
    # Serve from the mapped copy, so this process shares pages with the others.
    mapped, extra = load_index(target)
    return mapped, extra, True


def _prune(root: Path, keep: Path) -> None:
    """Remove stored indexes except ``keep`` and the ``KEEP_OLD`` most recent others."""
    others = [p for p in root.iterdir() if p.is_dir() and p != keep and not p.name.startswith(".")]
    for stale in root.glob(".*"):  # temporary folders of builds that died
        if stale.is_dir() and time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_OLD:]:
        shutil.rmtree(old, ignore_errors=True)
