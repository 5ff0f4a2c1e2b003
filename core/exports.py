"""Spreadsheet exports that cannot run formulas: one rule for every CSV and Excel download.

A CSV cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel and LibreOffice (CSV injection: a partner named ``=HYPERLINK(...)`` would
become a live link or worse in the reader's spreadsheet). Following OWASP's advice, every
such text cell is written with a leading single quote, which spreadsheets show as text.
Only text is changed: numbers (a negative yearly volume, a score) are written as they are.

In an .xlsx file only a string beginning with ``=`` becomes a formula (openpyxl decides
that when the cell is set); `append_text_row` stores such cells as text instead, so the
reader sees exactly the value without a quote.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """`value`, with a leading quote when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SafeWriter:
    """A `csv.writer` whose every row passes through `safe_cell`."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(out: _Writable, **options: Any) -> SafeWriter:
    """The CSV writer every export uses (same options as `csv.writer`)."""
    return SafeWriter(out, **options)


def append_text_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet; text that looks like a formula stays text."""
    row = list(values)
    sheet.append(row)
    if not row:
        return
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
