"""Read a CSV or Excel (.xlsx) upload into rows, and report problems by row and column.

Importers (employees, attendance) validate every row first and write nothing when any row
has a problem; each problem names the row as a spreadsheet shows it (the header is row 1)
and the column.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused: where (row, column) and why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class ImportRefused(Exception):
    """The file was refused whole; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(lines: Iterable[list[Any]]) -> Table:
    iterator = iter(lines)
    try:
        header = [_cell(h).lower() for h in next(iterator)]
    except StopIteration:
        raise ImportRefused([Problem(0, "", _("The file is empty."))]) from None
    table = Table(header=header)
    for number, line in enumerate(iterator, start=2):
        values = [_cell(v) for v in line]
        if not any(values):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise ImportRefused(
                [
                    Problem(
                        number,
                        "",
                        _("Too many rows; import at most %(n)s at a time.") % {"n": MAX_ROWS},
                    )
                ]
            )
        values += [""] * (len(header) - len(values))
        table.rows.append((number, dict(zip(header, values, strict=False))))
    return table


def read_table(data: bytes, filename: str, *, required: Iterable[str]) -> Table:
    """Rows of the first sheet (Excel) or of the file (CSV, UTF-8, comma or semicolon).

    Raises `ImportRefused` when the file cannot be read or lacks a required column.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        table = _read_xlsx(data)
    elif suffix == ".csv":
        table = _read_csv(data)
    else:
        raise ImportRefused(
            [Problem(0, "", _("Upload a .csv or .xlsx file, not “%(name)s”.") % {"name": filename})]
        )
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


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            [Problem(0, "", _("The CSV file is not UTF-8 text; save it as “CSV UTF-8”."))]
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return _rows(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportRefused(
            [Problem(0, "", _("The file is not a readable Excel workbook (.xlsx)."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return _rows(list(r) for r in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def parse_date(value: str) -> datetime.date | None:
    """An ISO date (2025-03-31); None when the text is not one."""
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
