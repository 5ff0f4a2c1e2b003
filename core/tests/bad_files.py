"""Hostile and broken import files, built small, as they were seen against the portal.

Each builder returns the bytes of a real file (a real zip, a real workbook written by
openpyxl and then altered), so the tests exercise the same parsing as an upload.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

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


class RefusedFileChecks:
    """The refusals every row import shows the same way, for a test case that sets `url`
    (the import page, signed in) in `setUp` and declares the file it imports: `header`,
    `row` (one good row), `nul_column` (the column index the NUL byte goes into), `stem`
    (the file name users give) and `model` (whose rows must not be written). Mix it into a
    `PersonaTestCase`; each app keeps only what differs."""

    url: str
    header: tuple[str, ...]
    row: tuple[str, ...]
    nul_column: int
    stem: str
    model: Any
    client: Any

    def refused(self, content: bytes, name: str = "", *, says: str) -> float:
        """Upload, expect a 400 page naming the problem and nothing stored; CPU seconds."""
        test: Any = self
        before = self.model.objects.count()
        start = time.process_time()
        response = self.client.post(
            self.url, {"file": SimpleUploadedFile(name or f"{self.stem}.xlsx", content)}
        )
        seconds = time.process_time() - start
        test.assertContains(response, says, status_code=400)
        test.assertContains(response, "import-problems", status_code=400)
        test.assertEqual(self.model.objects.count(), before)
        return seconds

    def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused_with_the_fix(self) -> None:
        self.refused(not_a_zip(), says="not an Excel workbook")

    def test_a_workbook_with_broken_sheet_xml_is_refused_as_damaged(self) -> None:
        self.refused(broken_sheet_xml(self.header, self.row), says="damaged")

    def test_a_nul_byte_in_a_cell_is_refused_naming_row_and_column(self) -> None:
        content = csv_with_nul(self.header, self.row, self.nul_column)
        self.refused(content, f"{self.stem}.csv", says="control character")
        response = self.client.post(self.url, {"file": SimpleUploadedFile("p.csv", content)})
        problems = response.context["problems"]
        test: Any = self
        test.assertEqual([(p.row, p.column) for p in problems], [(2, self.header[self.nul_column])])

    def test_a_small_workbook_declaring_two_million_rows_is_refused_within_a_second(
        self,
    ) -> None:
        seconds = self.refused(two_million_blank_rows(self.header, self.row), says="2,000,000")
        test: Any = self
        test.assertLess(seconds, 1.0)

    def test_a_cell_far_below_the_data_is_refused_within_a_second(self) -> None:
        seconds = self.refused(one_cell_far_down(self.header, self.row), says="empty rows")
        test: Any = self
        test.assertLess(seconds, 1.0)

    def test_a_file_over_the_row_limit_is_refused_naming_the_limit(self) -> None:
        content = "\n".join([",".join(self.header)] + [",".join(self.row)] * 3)
        with override_settings(CTPAT_IMPORT_MAX_ROWS=2):
            self.refused(content.encode(), f"{self.stem}.csv", says="at most 2 rows")

    def test_a_file_over_the_size_limit_is_refused(self) -> None:
        content = (",".join(self.header) + "\n").encode() + b"x" * (1024 * 1024)
        with override_settings(CTPAT_IMPORT_MAX_MB=1):
            self.refused(content, f"{self.stem}.csv", says="larger than 1 MB")
