"""Background screening of large partner files, one chunk of rows per task.

A file too large for one machine is cut into row ranges; each task worker screens one
range with the same code as ``ctpat screen --start-row/--max-rows`` (loading the active
list versions once per worker process) and writes its own part file; ``merge_parts``
joins the parts into one result file with one header.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django_tasks import task

from screening.index import active_index
from screening_engine import DEFAULT_THRESHOLD, screen_file


@task()
def screen_chunk(
    input_path: str,
    output_path: str,
    start_row: int,
    max_rows: int,
    top: int = 5,
    min_score: float = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """Screen data rows ``[start_row, start_row + max_rows)`` of a partner CSV."""
    index, _ = active_index()
    partners, written, problems = screen_file(
        index,
        input_path,
        output_path,
        top=top,
        min_score=min_score,
        start_row=start_row,
        max_rows=max_rows,
    )
    return {
        "partners": partners,
        "rows": written,
        "problems": [str(p) for p in problems],
        "output": output_path,
    }


def count_data_rows(input_path: str | Path) -> int:
    """Data rows of a CSV file (records after the header; quoted newlines respected)."""
    with open(input_path, encoding="utf-8", errors="replace", newline="") as fh:
        return max(0, sum(1 for _ in csv.reader(fh)) - 1)


def enqueue_chunks(
    input_path: str | Path,
    output_dir: str | Path,
    *,
    rows_per_chunk: int = 100_000,
    top: int = 5,
    min_score: float = DEFAULT_THRESHOLD,
) -> list[Any]:
    """Enqueue one `screen_chunk` task per range of rows; returns the task results."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    total = count_data_rows(input_path)
    results = []
    for number, start in enumerate(range(0, max(total, 1), rows_per_chunk)):
        results.append(
            screen_chunk.enqueue(
                str(input_path),
                str(out / f"part-{number:05d}.csv"),
                start,
                rows_per_chunk,
                top,
                min_score,
            )
        )
    return results


def merge_parts(parts: Sequence[str | Path], output_path: str | Path) -> int:
    """Concatenate part files in order, keeping the first header; returns data rows."""
    rows = 0
    with open(output_path, "w", encoding="utf-8", newline="") as out:
        for i, part in enumerate(parts):
            with open(part, encoding="utf-8", newline="") as fh:
                header = fh.readline()
                if i == 0:
                    out.write(header)
                for line in fh:
                    out.write(line)
                    rows += 1
    return rows
