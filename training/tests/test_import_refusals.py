"""Broken and hostile attendance files are refused with a 400 page that says why, and
store no training record; the file's size is checked before it is read."""

from __future__ import annotations

import datetime
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.testing import PersonaTestCase
from core.tests import bad_files
from training.models import TrainingRecord
from training.tests import factories as f

HEADER = ("employee_number", "quiz_score")
ROW = ("E-1", "90")


class RefusedAttendanceFileTests(PersonaTestCase):
    def setUp(self) -> None:
        guard = f.role(self.company, "guard")
        course = f.course(self.company, roles=[guard])
        f.employee(self.company, "Ana", "Ruiz", employee_number="E-1", roles=[guard])
        session = f.session(course, datetime.date(2025, 6, 2))
        self.url = reverse("training:attendance-import", args=[self.company.pk, session.pk])
        self.login("user")
        self.client.get(self.url)

    def refused(self, content: bytes, name: str = "attendance.xlsx", *, says: str) -> float:
        """Upload, expect a 400 page naming the problem and nothing stored; CPU seconds."""
        before = TrainingRecord.objects.count()
        start = time.process_time()
        response = self.client.post(self.url, {"file": SimpleUploadedFile(name, content)})
        seconds = time.process_time() - start
        self.assertContains(response, says, status_code=400)
        self.assertContains(response, "import-problems", status_code=400)
        self.assertEqual(TrainingRecord.objects.count(), before)
        return seconds

    def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused_with_the_fix(self) -> None:
        self.refused(bad_files.not_a_zip(), says="not an Excel workbook")

    def test_a_workbook_with_broken_sheet_xml_is_refused_as_damaged(self) -> None:
        self.refused(bad_files.broken_sheet_xml(HEADER, ROW), says="damaged")

    def test_a_nul_byte_in_a_cell_is_refused_naming_row_and_column(self) -> None:
        content = bad_files.csv_with_nul(HEADER, ROW, 0)
        self.refused(content, "attendance.csv", says="control character")
        response = self.client.post(self.url, {"file": SimpleUploadedFile("p.csv", content)})
        problems = response.context["problems"]
        self.assertEqual([(p.row, p.column) for p in problems], [(2, "employee_number")])

    def test_a_small_workbook_declaring_two_million_rows_is_refused_within_a_second(
        self,
    ) -> None:
        seconds = self.refused(bad_files.two_million_blank_rows(HEADER, ROW), says="2,000,000")
        self.assertLess(seconds, 1.0)

    def test_a_cell_far_below_the_data_is_refused_within_a_second(self) -> None:
        seconds = self.refused(bad_files.one_cell_far_down(HEADER, ROW), says="empty rows")
        self.assertLess(seconds, 1.0)

    @override_settings(CTPAT_IMPORT_MAX_ROWS=2)
    def test_a_file_over_the_row_limit_is_refused_naming_the_limit(self) -> None:
        content = "\n".join([",".join(HEADER)] + ["E-1,90"] * 3)
        self.refused(content.encode(), "attendance.csv", says="at most 2 rows")

    @override_settings(CTPAT_IMPORT_MAX_MB=1)
    def test_a_file_over_the_size_limit_is_refused(self) -> None:
        content = (",".join(HEADER) + "\n").encode() + b"x" * (1024 * 1024)
        self.refused(content, "attendance.csv", says="larger than 1 MB")
