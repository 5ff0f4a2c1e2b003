"""Read a CSV or Excel (.xlsx) upload into rows, and report problems by row and column.

The file itself is read by `core.importing` (size and row limits, refusal of damaged
workbooks and control characters); this module turns its rows into header-keyed dicts.

Importers (employees, attendance) validate every row first and write nothing when any row
has a problem; each problem names the row as a spreadsheet shows it (the header is row 1)
and the column.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from django.utils.translation import gettext as _

from core.importing import ImportFileError, Row, located, read_rows


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused: where (row, column) and why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return located(self.message, self.row, self.column)


class ImportRefused(Exception):
    """The file was refused whole; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_table(
    data: IO[bytes] | bytes,
    filename: str,
    *,
    required: Iterable[str],
    max_rows: int | None = None,
) -> Table:
    """Rows of the first sheet (Excel) or of the file (CSV, UTF-8, comma or semicolon).

    Read through `core.importing.read_rows` (size limit checked before reading, row limit
    `CTPAT_IMPORT_MAX_ROWS` unless `max_rows` is given). Raises `ImportRefused` when the file
    cannot be read, breaks a limit or lacks a required column.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportRefused(
            [Problem(0, "", _("Upload a .csv or .xlsx file, not “%(name)s”.") % {"name": filename})]
        )
    try:
        table = _rows(read_rows(data, filename, max_rows=max_rows))
    except ImportFileError as exc:
        raise ImportRefused([Problem(exc.row or 0, exc.column, exc.message)]) from None
    missing = [c for c in required if c not in table.header]
    if missing:
        raise ImportRefused(
            [
                Problem(1, c, _("This column is missing; the header row must name it."))
                for c in missing
            ]
        )
    if not table.rows:
        raise ImportRefused([Problem(0, "", _("The file has a header but no rows."))])
    return table


def _rows(lines: Iterable[Row]) -> Table:
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None:
        raise ImportRefused([Problem(0, "", _("The file is empty."))])
    header = [h.lower() for h in first.values]
    table = Table(header=header)
    for line in iterator:
        values = line.values + [""] * (len(header) - len(line.values))
        table.rows.append((line.number, dict(zip(header, values, strict=False))))
    return table


def parse_date(value: str) -> datetime.date | None:
    """An ISO date (2025-03-31); None when the text is not one."""
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
