"""Broken and hostile partner files are refused with a message and store no partner; the
partner exports cannot carry a formula into the reader's spreadsheet."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.tests import bad_files
from partners import importing
from partners.models import BusinessPartner, PartnerImport
from portal.testing import PersonaTestCase

HEADER = ("name", "role", "country")
ROW = ("Fletes Rápidos", "highway_carrier", "MX")


class RefusedPartnerFileTests(PersonaTestCase):
    def setUp(self) -> None:
        self.login("user")
        # Load the page once so the timed uploads measure reading the file, not start-up.
        self.client.get(reverse("partners:import-create", args=[self.company.pk]))

    def post(self, content: bytes, name: str = "partners.xlsx") -> Any:
        return self.client.post(
            reverse("partners:import-create", args=[self.company.pk]),
            {"file": SimpleUploadedFile(name, content)},
        )

    def refused(self, content: bytes, name: str = "partners.xlsx") -> PartnerImport:
        """Upload, expect the file refused, its errors shown and nothing stored."""
        before = BusinessPartner.objects.count()
        start = time.process_time()
        response = self.post(content, name)
        self.upload_seconds = time.process_time() - start
        self.assertEqual(response.status_code, 302)
        batch = PartnerImport.objects.latest("pk")
        self.assertEqual(batch.status, PartnerImport.Status.INVALID)
        self.assertEqual(batch.rows, [])
        page = self.client.get(batch.get_absolute_url())
        self.assertContains(page, batch.errors[0]["message"])
        self.client.post(reverse("partners:import-confirm", args=[self.company.pk, batch.pk]))
        self.assertEqual(BusinessPartner.objects.count(), before)
        return batch

    def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused_with_the_fix(self) -> None:
        batch = self.refused(bad_files.not_a_zip())
        self.assertIn("not an Excel workbook", batch.errors[0]["message"])

    def test_a_workbook_with_broken_sheet_xml_is_refused_as_damaged(self) -> None:
        batch = self.refused(bad_files.broken_sheet_xml(HEADER, ROW))
        self.assertIn("damaged", batch.errors[0]["message"])

    def test_a_nul_byte_in_a_cell_is_refused_naming_row_and_column(self) -> None:
        batch = self.refused(bad_files.csv_with_nul(HEADER, ROW, 0), "partners.csv")
        self.assertEqual((batch.errors[0]["row"], batch.errors[0]["column"]), (2, "name"))

    def test_a_small_workbook_declaring_two_million_rows_is_refused_within_a_second(
        self,
    ) -> None:
        self.refused(bad_files.two_million_blank_rows(HEADER, ROW))
        self.assertLess(self.upload_seconds, 1.0)

    def test_a_cell_far_below_the_data_is_refused_within_a_second(self) -> None:
        batch = self.refused(bad_files.one_cell_far_down(HEADER, ROW))
        self.assertLess(self.upload_seconds, 1.0)
        self.assertIn("empty rows", batch.errors[0]["message"])

    def test_a_file_name_with_a_nul_byte_is_stored_without_it(self) -> None:
        response = self.post(b"name,role,country\nFletes,warehouse,MX\n", "socios\x00.csv")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(PartnerImport.objects.get().filename, "socios.csv")

    @override_settings(CTPAT_PARTNER_IMPORT_MAX_ROWS=2)
    def test_a_file_over_the_row_limit_is_refused_naming_the_limit(self) -> None:
        content = (
            "\n".join([",".join(HEADER)] + [f"P{i},warehouse,MX" for i in range(3)])
        ).encode()
        batch = self.refused(content, "partners.csv")
        self.assertIn("at most 2 rows", batch.errors[0]["message"])

    @override_settings(CTPAT_PARTNER_IMPORT_MAX_MB=1)
    def test_a_file_over_the_size_limit_is_refused_on_the_form(self) -> None:
        content = b"name,role,country\n" + b"x" * (1024 * 1024)
        response = self.post(content, "partners.csv")
        self.assertContains(response, "larger than 1 MB")
        self.assertFalse(PartnerImport.objects.exists())

    def test_a_whole_supplier_base_of_60000_rows_is_still_read(self) -> None:
        lines = [",".join(HEADER)] + [f"Proveedor {i},warehouse,MX" for i in range(60_000)]
        reader = importing.PartnerImporter(self.company)
        rows = list(reader.read("\n".join(lines).encode(), "partners.csv"))
        self.assertEqual(len(rows), 60_001)


class PartnerExportFormulaTests(PersonaTestCase):
    def test_a_partner_named_like_a_formula_is_exported_as_text(self) -> None:
        BusinessPartner.objects.create(
            company=self.company,
            name='=HYPERLINK("http://evil.test","Click")',
            role="warehouse",
            country="MX",
            yearly_volume=0,
        )
        self.login("viewer")
        for url in (
            reverse("partners:partner-export", args=[self.company.pk]),
            reverse("partners:screening-evidence-export", args=[self.company.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
                cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
                self.assertIn('\'=HYPERLINK("http://evil.test","Click")', cells)
                self.assertNotIn('=HYPERLINK("http://evil.test","Click")', cells)
