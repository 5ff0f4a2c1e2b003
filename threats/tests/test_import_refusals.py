"""Broken and hostile ratings files are refused with a message and store no rating; the
messages are in Spanish for Spanish-speaking users."""

from __future__ import annotations

import time

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.tests import bad_files
from portal.testing import PersonaTestCase
from threats.models import ThreatImport, ThreatRating
from threats.tests.test_import import NOW

HEADER = ("country", "region", "category", "level", "source", "source_url", "rated_on")
ROW = ("MX", "", "theft", "H", "OSAC Mexico report", "", "2026-01-15")


@time_machine.travel(NOW, tick=False)
class RefusedRatingsFileTests(PersonaTestCase):
    def setUp(self) -> None:
        self.login("user")
        self.client.get(reverse("threats:import-create", args=[self.company.pk]))

    def refused(self, content: bytes, name: str = "ratings.csv") -> ThreatImport:
        """Upload, expect the file refused, its errors shown and nothing stored."""
        before = ThreatRating.objects.count()
        start = time.process_time()
        response = self.client.post(
            reverse("threats:import-create", args=[self.company.pk]),
            {"file": SimpleUploadedFile(name, content)},
        )
        self.upload_seconds = time.process_time() - start
        self.assertEqual(response.status_code, 302)
        batch = ThreatImport.objects.latest("pk")
        self.assertEqual((batch.status, batch.rows), (ThreatImport.Status.INVALID, []))
        self.assertContains(self.client.get(batch.get_absolute_url()), "import-errors")
        self.client.post(reverse("threats:import-confirm", args=[self.company.pk, batch.pk]))
        self.assertEqual(ThreatRating.objects.count(), before)
        return batch

    def test_a_nul_byte_in_a_cell_is_refused_naming_row_and_column(self) -> None:
        batch = self.refused(bad_files.csv_with_nul(HEADER, ROW, 4))
        self.assertEqual((batch.errors[0]["row"], batch.errors[0]["column"]), (2, "source"))

    def test_an_excel_workbook_named_csv_is_refused_with_the_fix(self) -> None:
        batch = self.refused(bad_files.workbook([HEADER, ROW]))
        self.assertIn("CSV UTF-8", batch.errors[0]["message"])

    def test_two_million_empty_lines_are_refused_within_a_second(self) -> None:
        content = (",".join(HEADER) + "\n" + ",".join(ROW)).encode() + b"\n" * 2_000_000
        batch = self.refused(content)
        self.assertLess(self.upload_seconds, 1.0)
        self.assertIn("empty rows", batch.errors[0]["message"])

    def test_the_row_after_20000_ratings_refuses_the_file_naming_the_limit(self) -> None:
        lines = [",".join(HEADER)] + [",".join(ROW)] * 20_001
        batch = self.refused("\n".join(lines).encode())
        self.assertIn("20,000", batch.errors[-1]["message"])

    @override_settings(CTPAT_IMPORT_MAX_MB=1)
    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(self) -> None:
        batch = self.refused((",".join(HEADER) + "\n").encode() + b"x" * (1024 * 1024))
        self.assertIn("larger than 1 MB", batch.errors[0]["message"])

    def test_the_refusal_is_explained_in_spanish(self) -> None:
        self.client.post(reverse("set_language"), {"language": "es"})
        batch = self.refused(bad_files.csv_with_nul(HEADER, ROW, 4))
        self.assertIn("carácter de control", batch.errors[0]["message"])
