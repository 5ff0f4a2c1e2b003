"""A stored index answers exactly as the index it was built from, and is built once."""

from __future__ import annotations

import mmap
import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from screening_engine import LoadedList, Query, ScreeningIndex, load_directory
from screening_engine.store import cached_index, directory_digest, index_key, load_index, save_index


@pytest.fixture(scope="module")
def small(cons: LoadedList, dpl: LoadedList) -> ScreeningIndex:
    return ScreeningIndex([*cons.entities, *dpl.entities])


def _queries(index: ScreeningIndex) -> list[Query]:
    rng = random.Random(7)
    out: list[Query] = []
    for name in list(index.name_text)[:400]:
        chars = list(name)
        if len(chars) > 6:  # one transposition, as a partner file would have it
            i = rng.randrange(len(chars) - 1)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        out.append(Query(name="".join(chars), country=rng.choice([None, "IR", "CU", "US"])))
    out.append(Query(name="Maple Leaf Organic Farms Ltd", type="organization"))
    return out


def _mapped(array: Any) -> bool:
    """Whether an array's memory is a file mapping (possibly through views)."""
    while array is not None:
        if isinstance(array, (np.memmap, mmap.mmap)):
            return True
        array = getattr(array, "base", None)
    return False


def test_a_stored_index_scores_exactly_as_the_built_one(
    small: ScreeningIndex, tmp_path: Path
) -> None:
    save_index(small, tmp_path / "idx")
    loaded, _ = load_index(tmp_path / "idx")
    queries = _queries(small)
    assert loaded.screen_raw(queries, top=5) == small.screen_raw(queries, top=5)
    for query in queries[:20]:
        built = small.search(query.name, country=query.country)
        mapped = loaded.search(query.name, country=query.country)
        assert [(h.entity, h.score, h.matched_name) for h in mapped] == [
            (h.entity, h.score, h.matched_name) for h in built
        ]
        assert [h.explanation for h in mapped] == [h.explanation for h in built]
    # The large arrays are mapped from the files, not copied into the process.
    for array in (loaded.name_tok, loaded.block_t.data, loaded.block_t.indices):
        assert _mapped(array)
    assert len(loaded.entities) == len(small.entities)
    assert list(loaded.entities)[-1] == small.entities[-1]


def test_a_small_index_borrows_weights_from_a_stored_one(
    small: ScreeningIndex, tmp_path: Path
) -> None:
    save_index(small, tmp_path / "idx")
    loaded, _ = load_index(tmp_path / "idx")
    few = [small.entities[3], small.entities[200]]
    name = small.entities[200].name
    from_built = ScreeningIndex(few, weights_from=small).search(name)
    from_loaded = ScreeningIndex(few, weights_from=loaded).search(name)
    assert [(h.score, h.matched_name) for h in from_loaded] == [
        (h.score, h.matched_name) for h in from_built
    ]


def test_cached_index_builds_once_per_key(small: ScreeningIndex, tmp_path: Path) -> None:
    builds: list[str] = []

    def build() -> tuple[ScreeningIndex, dict[str, Any]]:
        builds.append("built")
        return small, {"lists": ["cons", "dpl"]}

    key = index_key(["a" * 64, "b" * 64])
    first, extra, built = cached_index(tmp_path, key, build)
    again, extra_again, built_again = cached_index(tmp_path, key, build)
    assert (built, built_again, builds) == (True, False, ["built"])
    assert extra == extra_again == {"lists": ["cons", "dpl"]}
    assert again.search("ZIMO SHENG")[0].entity.entity_id == "581"
    # Another list version is another key: built anew, the old one kept beside it.
    assert index_key(["a" * 64, "c" * 64]) != key
    cached_index(tmp_path, index_key(["a" * 64, "c" * 64]), build)
    assert builds == ["built", "built"]
    assert len([p for p in tmp_path.iterdir() if not p.name.startswith(".")]) == 2


def test_a_damaged_stored_index_is_built_again(small: ScreeningIndex, tmp_path: Path) -> None:
    key = index_key(["d" * 64])
    cached_index(tmp_path, key, lambda: (small, {}))
    (tmp_path / key / "name_tok.npy").write_bytes(b"not an array")
    index, _, built = cached_index(tmp_path, key, lambda: (small, {}))
    assert built
    assert index.search("ZIMO SHENG")[0].entity.entity_id == "581"


def test_symlinked_list_folders_are_loaded_and_hashed(watchlists: Path, tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    os.symlink(watchlists / "bis_dpl_2022-09-07", lists / "dpl")
    os.symlink(lists, lists / "loop")  # a link back up is visited once, not forever
    load = load_directory(lists)
    assert [item.version.source for item in load.newest_per_source()] == ["bis_dpl"]
    assert not load.errors
    before = directory_digest(lists)
    (tmp_path / "other").mkdir()
    os.symlink(watchlists / "ofac_consolidated_2025-12-19", lists / "cons")
    assert directory_digest(lists) != before


def test_a_folder_that_cannot_be_written_costs_speed_not_screening(
    small: ScreeningIndex, tmp_path: Path
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    index, _, built = cached_index(blocked / "index", index_key(["e" * 64]), lambda: (small, {}))
    assert built
    assert index.search("ZIMO SHENG")[0].entity.entity_id == "581"


def test_the_index_key_changes_with_the_normaliser_or_scorer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored index built by other matching code is never loaded: the key hashes it."""
    from screening_engine import store

    engine = Path(store.__file__).parent
    copy = tmp_path / "engine"
    copy.mkdir()
    for name in store._SCORING_MODULES:
        (copy / name).write_bytes((engine / name).read_bytes())
    monkeypatch.setattr(store, "__file__", str(copy / "store.py"))
    same = index_key(["abc"])
    with (copy / "normalize.py").open("a") as fh:
        fh.write("\nTYPO_MIN_LEN = 6\n")
    changed_normaliser = index_key(["abc"])
    with (copy / "matcher.py").open("a") as fh:
        fh.write("\nCOUNTRY_PENALTY = 5.0\n")
    changed_scorer = index_key(["abc"])
    monkeypatch.undo()
    assert same == index_key(["abc"])
    assert len({same, changed_normaliser, changed_scorer}) == 3
