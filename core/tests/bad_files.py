"""Hostile and broken import files, built small, as they were seen against the portal.

Each builder returns the bytes of a real file (a real zip, a real workbook written by
openpyxl and then altered), so the tests exercise the same parsing as an upload.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: Sequence[Sequence[Any]]) -> bytes:
    """An ordinary .xlsx with these rows on its first sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook `data` with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            archive.writestr(info.filename, change(body) if info.filename == SHEET else body)
    return out.getvalue()


def not_a_zip() -> bytes:
    """What a user uploads when a CSV was renamed to .xlsx."""
    return b"first_name,last_name\nAna,Ruiz\n"


def broken_sheet_xml(header: Sequence[str], row: Sequence[Any]) -> bytes:
    """A workbook whose sheet XML is cut off after its first row."""
    return with_sheet_xml(
        workbook([header, row]), lambda xml: xml[: xml.index(b"</row>") + 6] + b"<row r="
    )


def two_million_blank_rows(header: Sequence[str], row: Sequence[Any]) -> bytes:
    """A few kB that declare 2,000,000 rows (the observed file took 18 s of CPU)."""
    return with_sheet_xml(
        workbook([header, row]),
        lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:D2000000"/>', xml),
    )


def one_cell_far_down(header: Sequence[str], row: Sequence[Any]) -> bytes:
    """A workbook without a size declaration whose last cell is on row 1,000,000."""
    far = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    return with_sheet_xml(
        workbook([header, row]),
        lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b"", xml).replace(
            b"</sheetData>", far + b"</sheetData>"
        ),
    )


def csv_with_nul(header: Sequence[str], row: Sequence[str], column: int) -> bytes:
    """A CSV whose data row has a NUL byte inside the cell at `column` (0-based)."""
    cells = list(row)
    cells[column] = cells[column][:1] + "\x00" + cells[column][1:]
    return (",".join(header) + "\n" + ",".join(cells) + "\n").encode()
