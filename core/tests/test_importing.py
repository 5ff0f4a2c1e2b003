"""The one reader behind every import: size, kind, rows and cells are checked before an
importer sees a row, and every broken or hostile file becomes a message, never a 500."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

from django.test import SimpleTestCase, override_settings

from core.exports import append_text_row, safe_cell, safe_writer
from core.importing import ImportFileError, read_rows
from core.tests import bad_files

HEADER = ("name", "role")
ROW = ("Fletes", "carrier")


class UnreadableUpload(io.BytesIO):
    """An upload that reports its size and must not be read."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def read(self, *args: object) -> bytes:
        raise AssertionError("an over-size file was read")


class ReaderTests(SimpleTestCase):
    def refusal(self, data: bytes, name: str = "f.xlsx", **limits: Any) -> ImportFileError:
        with self.assertRaises(ImportFileError) as caught:
            list(read_rows(data, name, **limits))
        return caught.exception

    def test_a_csv_and_a_workbook_give_the_same_rows(self) -> None:
        csv_rows = list(read_rows("\ufeffname;role\nFletes;carrier\n".encode(), "f.csv"))
        xlsx_rows = list(read_rows(bad_files.workbook([HEADER, ROW]), "f.xlsx"))
        self.assertEqual([r.values for r in csv_rows], [list(HEADER), list(ROW)])
        self.assertEqual([r.values for r in xlsx_rows], [list(HEADER), list(ROW)])
        self.assertEqual([r.number for r in xlsx_rows], [1, 2])

    def test_a_renamed_csv_is_not_taken_for_a_workbook(self) -> None:
        message = str(self.refusal(bad_files.not_a_zip()))
        self.assertIn("not an Excel workbook", message)
        self.assertIn("save it as", message)

    def test_broken_sheet_xml_is_a_damaged_workbook(self) -> None:
        self.assertIn("damaged", str(self.refusal(bad_files.broken_sheet_xml(HEADER, ROW))))

    def test_a_sheet_declaring_two_million_rows_is_refused_at_once(self) -> None:
        data = bad_files.two_million_blank_rows(HEADER, ROW)
        self.assertLess(len(data), 20_000)
        start = time.process_time()
        message = str(self.refusal(data))
        self.assertLess(time.process_time() - start, 1.0)
        self.assertIn("2,000,000", message)

    def test_a_cell_a_million_rows_down_is_refused_without_walking_the_gap(self) -> None:
        start = time.process_time()
        message = str(self.refusal(bad_files.one_cell_far_down(HEADER, ROW)))
        self.assertLess(time.process_time() - start, 1.0)
        self.assertIn("empty rows", message)

    def test_an_old_xls_workbook_is_refused_with_the_fix(self) -> None:
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
        self.assertIn(".xlsx", str(self.refusal(data, "f.xls")))

    def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            with zipfile.ZipFile(io.BytesIO(bad_files.workbook([HEADER, ROW]))) as source:
                for info in source.infolist():
                    archive.writestr(info.filename, source.read(info.filename))
            archive.writestr("xl/padding.bin", b"\x00" * 2_000_000)
        self.assertLess(len(out.getvalue()), 100_000)
        message = str(self.refusal(out.getvalue(), max_bytes=100_000))
        self.assertIn("unpacks to 2 MB", message)

    def test_a_nul_byte_is_refused_naming_row_and_column(self) -> None:
        refusal = self.refusal(bad_files.csv_with_nul(HEADER, ROW, 1), "f.csv")
        self.assertEqual((refusal.row, refusal.column), (2, "role"))
        self.assertIn("control character", refusal.message)

    def test_text_in_another_encoding_is_refused_with_the_fix(self) -> None:
        message = str(self.refusal("name\nÁna\n".encode("latin-1"), "f.csv"))
        self.assertIn("CSV UTF-8", message)

    def test_the_row_after_the_limit_refuses_the_file_naming_the_limit(self) -> None:
        data = b"name\n" + b"x\n" * 4
        self.assertEqual(len(list(read_rows(data, "f.csv", max_rows=4))), 5)
        refusal = self.refusal(data + b"y\n", "f.csv", max_rows=4)
        self.assertEqual(refusal.row, 6)
        self.assertIn("at most 4 rows", refusal.message)

    @override_settings(CTPAT_IMPORT_MAX_ROWS=2)
    def test_the_row_limit_is_a_setting(self) -> None:
        self.assertIn("at most 2 rows", str(self.refusal(b"name\na\nb\nc\n", "f.csv")))

    @override_settings(CTPAT_IMPORT_MAX_MB=1)
    def test_an_over_size_file_is_refused_before_it_is_read(self) -> None:
        message = str(self.refusal(UnreadableUpload(1024 * 1024 + 1), "f.csv"))  # type: ignore[arg-type]
        self.assertIn("larger than 1 MB", message)

    def test_the_kind_comes_from_the_content_and_a_csv_only_import_refuses_a_workbook(
        self,
    ) -> None:
        data = bad_files.workbook([HEADER, ROW])
        self.assertEqual(len(list(read_rows(data, "f.csv"))), 2)
        message = str(self.refusal(data, "f.csv", kinds=("csv",)))
        self.assertIn("CSV UTF-8", message)


class FormulaExportTests(SimpleTestCase):
    def test_text_that_a_spreadsheet_would_run_gets_a_quote(self) -> None:
        for value in ("=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
            with self.subTest(value=value):
                self.assertEqual(safe_cell(value), "'" + value)

    def test_numbers_and_ordinary_text_are_untouched(self) -> None:
        for value in (-5, -1.5, 0, "Fletes", "", None, "a=b"):
            with self.subTest(value=value):
                self.assertEqual(safe_cell(value), value)

    def test_the_csv_writer_quotes_every_formula_cell(self) -> None:
        out = io.StringIO()
        safe_writer(out).writerow(['=HYPERLINK("http://x")', -3, "ok"])
        self.assertEqual(out.getvalue(), '"\'=HYPERLINK(""http://x"")",-3,ok\r\n')

    def test_a_workbook_keeps_formula_text_as_text(self) -> None:
        from openpyxl import Workbook, load_workbook

        book = Workbook()
        sheet = book.active
        append_text_row(sheet, ["=HYPERLINK(1)", -3])
        buffer = io.BytesIO()
        book.save(buffer)
        cell, number = load_workbook(buffer).active[1]  # type: ignore[index]
        self.assertEqual((cell.value, cell.data_type), ("=HYPERLINK(1)", "s"))
        self.assertEqual(number.value, -3)
