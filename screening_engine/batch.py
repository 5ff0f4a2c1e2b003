"""Batch screening on several cores, and the partner-file (CSV) format of ``ctpat screen``.

Workers are forked processes that inherit the built index (copy-on-write), so nothing big
is pickled; each gets chunks of queries and sends back compact ``(entity, name, score)``
rows. A file too large for one machine is split into row ranges (``start_row``/
``max_rows`` of :func:`read_partner_csv`) that separate task workers screen with this
same code and whose outputs are concatenated (see docs/screening.md).
"""

from __future__ import annotations

import csv
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .entities import ENTITY_TYPES, EntityType
from .results import Query

if TYPE_CHECKING:
    from .matcher import ScreeningIndex

OUTPUT_HEADER = ("id", "rank", "score", "list", "entity_id", "matched_name")
CHUNK = 1024

_WORKER_INDEX: ScreeningIndex | None = None

Raw = list[list[tuple[int, int, float]]]


def _work(args: tuple[Sequence[Query], int, float]) -> Raw:
    queries, top, min_score = args
    assert _WORKER_INDEX is not None
    return _WORKER_INDEX.screen_raw(queries, top=top, min_score=min_score)


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def screen_batch(
    index: ScreeningIndex,
    queries: Sequence[Query],
    *,
    top: int = 5,
    min_score: float = 0.0,
    workers: int | None = None,
) -> Raw:
    """Screen many queries; one list of ``(entity index, name index, score)`` per query."""
    workers = default_workers() if workers is None else workers
    if (
        workers <= 1
        or len(queries) < 2 * CHUNK
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return index.screen_raw(queries, top=top, min_score=min_score)
    global _WORKER_INDEX
    _WORKER_INDEX = index
    try:
        ctx = multiprocessing.get_context("fork")
        chunks = [
            (queries[start : start + CHUNK], top, min_score)
            for start in range(0, len(queries), CHUNK)
        ]
        with ctx.Pool(workers) as pool:
            parts = pool.map(_work, chunks, chunksize=1)
    finally:
        _WORKER_INDEX = None
    return [row for part in parts for row in part]


# ------------------------------------------------------------------ partner CSV files

_TYPE_ALIASES: dict[str, EntityType] = {
    "individual": "person",
    "entity": "organization",
    "organisation": "organization",
    "company": "organization",
}


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A partner row that could not be screened (reported, never silently dropped)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class PartnerRow:
    line: int
    query: Query


def _parse_type(value: str) -> EntityType | None:
    value = value.strip().lower()
    if not value:
        return None
    value = _TYPE_ALIASES.get(value, value)
    for etype in ENTITY_TYPES:
        if value == etype:
            return etype
    raise ValueError(f"type {value!r} is not one of person, organization, vessel, aircraft")


def read_partner_csv(
    path: str | Path, *, start_row: int = 0, max_rows: int | None = None
) -> tuple[list[PartnerRow], list[InputProblem]]:
    """Read a partner file (header with at least ``id,name``; optional country, address, type).

    Lines are decoded one by one, so a line in a wrong encoding is reported with its line
    number and skipped instead of failing the whole file. ``start_row``/``max_rows``
    select a range of data rows (for splitting a big file across task workers).
    Raises ValueError when the header lacks ``id`` or ``name``.
    """
    rows: list[PartnerRow] = []
    problems: list[InputProblem] = []
    with open(path, "rb") as fh:
        tracker = _LineTracker()
        reader = csv.reader(line for _, line in tracker(_decoded_lines(fh, problems)))
        header_line = next(reader, None)
        if header_line is None:
            raise ValueError(f"{path}: empty file")
        header = [h.strip().lstrip("\ufeff").lower() for h in header_line]
        missing = [c for c in ("id", "name") if c not in header]
        if missing:
            raise ValueError(f"{path}: header lacks column(s) {', '.join(missing)}")
        col = {name: i for i, name in enumerate(header)}
        data_row = -1
        for record in reader:
            line = tracker.current
            if not record or all(not c.strip() for c in record):
                continue
            data_row += 1
            if data_row < start_row:
                continue
            if max_rows is not None and data_row >= start_row + max_rows:
                break

            def get(name: str, record: list[str] = record) -> str:
                i = col.get(name)
                return record[i].strip() if i is not None and i < len(record) else ""

            pid, name = get("id"), get("name")
            if len(record) != len(header):
                problems.append(
                    InputProblem(line, f"has {len(record)} fields, header has {len(header)}")
                )
                continue
            if not pid:
                problems.append(InputProblem(line, "no id"))
                continue
            if not name:
                problems.append(InputProblem(line, f"id {pid}: no name"))
                continue
            try:
                etype = _parse_type(get("type"))
            except ValueError as exc:
                problems.append(InputProblem(line, f"id {pid}: {exc}"))
                continue
            rows.append(
                PartnerRow(
                    line, Query(name=name, country=get("country") or None, type=etype, id=pid)
                )
            )
    problems.sort(key=lambda p: p.line)
    return rows, problems


class _LineTracker:
    """Remembers the physical line number of the line the CSV reader consumed last."""

    def __init__(self) -> None:
        self.current = 0

    def __call__(self, lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for number, line in lines:
            self.current = number
            yield number, line


def _decoded_lines(fh: IO[bytes], problems: list[InputProblem]) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(fh, start=1):
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(InputProblem(number, f"not UTF-8 (byte {exc.start}): row skipped"))


def write_results(
    out: IO[str],
    index: ScreeningIndex,
    rows: Sequence[PartnerRow],
    raw: Raw,
    *,
    header: bool = True,
) -> int:
    """Write ``id,rank,score,list,entity_id,matched_name`` rows; returns rows written."""
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(OUTPUT_HEADER)
    written = 0
    entities = index.entities
    names = index.name_text
    for row, hits in zip(rows, raw, strict=True):
        for rank, (ei, ni, score) in enumerate(hits, start=1):
            ent = entities[ei]
            writer.writerow(
                (row.query.id, rank, f"{score:.2f}", ent.list_id, ent.entity_id, names[ni])
            )
            written += 1
    return written


def screen_file(
    index: ScreeningIndex,
    in_path: str | Path,
    out_path: str | Path,
    *,
    top: int = 5,
    min_score: float = 0.0,
    workers: int | None = None,
    start_row: int = 0,
    max_rows: int | None = None,
) -> tuple[int, int, list[InputProblem]]:
    """Screen a partner CSV into a result CSV; returns (partners, rows written, problems).

    ``start_row``/``max_rows`` screen one range of data rows, so that several task
    workers can share one large file; their outputs concatenate (minus repeated headers).
    """
    rows, problems = read_partner_csv(in_path, start_row=start_row, max_rows=max_rows)
    raw = screen_batch(
        index, [r.query for r in rows], top=top, min_score=min_score, workers=workers
    )
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        written = write_results(out, index, rows, raw)
    return len(rows), written, problems
