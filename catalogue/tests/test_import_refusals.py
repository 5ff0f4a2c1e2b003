"""Broken and hostile criteria files are refused with a message and load no catalogue."""

from __future__ import annotations

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from accounts.models import User
from catalogue import importers
from catalogue.models import Catalogue, Criterion
from catalogue.tests.factories import csv_bytes, metadata, row
from core.tests import bad_files

HEADER = tuple(importers.COLUMNS)
ROW = tuple(row(id="3.1").get(c, "") for c in HEADER)


class RefusedCriteriaFileTests(TestCase):
    def refused(self, data: bytes, filename: str = "c.xlsx") -> importers.Problem:
        """Import, expect a refusal and nothing loaded; the first problem."""
        with self.assertRaises(importers.CatalogueImportError) as caught:
            importers.import_catalogue(data, filename, metadata())
        self.assertEqual((Catalogue.objects.count(), Criterion.objects.count()), (0, 0))
        return caught.exception.problems[0]

    def test_a_workbook_with_broken_sheet_xml_is_refused_as_damaged(self) -> None:
        self.assertIn("damaged", self.refused(bad_files.broken_sheet_xml(HEADER, ROW)).message)

    def test_a_nul_byte_in_a_cell_is_refused_naming_row_and_column(self) -> None:
        data = bad_files.csv_with_nul(HEADER, ROW, HEADER.index("summary"))
        problem = self.refused(data, "c.csv")
        self.assertEqual((problem.row, problem.column), (2, "summary"))

    def test_a_small_workbook_declaring_two_million_rows_is_refused_within_a_second(
        self,
    ) -> None:
        start = time.process_time()
        problem = self.refused(bad_files.two_million_blank_rows(HEADER, ROW))
        self.assertLess(time.process_time() - start, 1.0)
        self.assertIn("2,000,000", problem.message)

    @override_settings(CTPAT_IMPORT_MAX_ROWS=1)
    def test_a_file_over_the_row_limit_is_refused_naming_the_limit(self) -> None:
        data = csv_bytes([row(id="3.1"), row(id="3.4")])
        self.assertIn("at most 1 rows", self.refused(data, "c.csv").message)


class CriteriaUploadPageTests(TestCase):
    def test_a_damaged_workbook_is_explained_on_the_page(self) -> None:
        self.client.force_login(User.objects.create_user("ops@deploy.test", is_staff=True))
        response = self.client.post(
            reverse("catalogue:catalogue-import"),
            {
                "slug": "ctpat-msc",
                "version": "2024",
                "publisher": "CBP",
                "effective_date": "2024-06-01",
                "file": SimpleUploadedFile("c.xlsx", bad_files.broken_sheet_xml(HEADER, ROW)),
            },
        )
        self.assertContains(response, "damaged")
        self.assertEqual(Catalogue.objects.count(), 0)
