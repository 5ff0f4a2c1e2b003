"""Downloads of the profile and the gap report: Excel (read back with openpyxl) and PDF
(text extracted with pypdf)."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.models import Catalogue
from profiles.models import SecurityProfile
from profiles.tests.factories import ProfilesTestCase, answer, make_catalogue


class ExportTests(ProfilesTestCase):
    catalogue: Catalogue
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        cls.profile = SecurityProfile.start(cls.company)
        answer(cls.profile, "1.2", status="implemented", narrative='=HYPERLINK("http://x")')
        answer(
            cls.profile,
            "4.1",
            status="not_implemented",
            owner=cls.users["admin"],
            due_date="2030-06-01",
        )

    def download(self, document: str, fmt: str) -> bytes:
        self.login("viewer")
        url = reverse("profiles:profile-export", args=[self.company.pk, document, fmt])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f".{fmt}", response["Content-Disposition"])
        return response.content

    def test_the_profile_workbook_lists_every_criterion_and_the_readiness(self) -> None:
        book = load_workbook(io.BytesIO(self.download("profile", "xlsx")))
        rows = list(book["Profile"].iter_rows(values_only=True))
        self.assertEqual(rows[0][:5], ("ID", "Category", "Must / Should", "Criterion", "Status"))
        self.assertEqual([r[0] for r in rows[1:]], ["1.1", "1.2", "3.1", "4.1", "4.2"])
        by_id = {r[0]: r for r in rows[1:]}
        self.assertEqual(by_id["1.2"][4], "Implemented")
        self.assertEqual(by_id["4.1"][7], "admin@acme.test")
        readiness = list(book["Readiness"].iter_rows(values_only=True))
        self.assertEqual(readiness[-3][0], "Overall")

    def test_text_that_looks_like_a_formula_stays_text(self) -> None:
        book = load_workbook(io.BytesIO(self.download("profile", "xlsx")))
        cell = next(r for r in book["Profile"].iter_rows() if r[0].value == "1.2")[5]
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(cell.value, '=HYPERLINK("http://x")')

    def test_the_gap_workbook_lists_unmet_musts_first(self) -> None:
        book = load_workbook(io.BytesIO(self.download("gaps", "xlsx")))
        rows = list(book["Gaps"].iter_rows(values_only=True))
        self.assertEqual([r[0] for r in rows[1:]], ["4.1", "3.1", "1.1", "4.2"])

    def test_the_gap_report_pdf_names_the_gaps_and_owners(self) -> None:
        content = self.download("gaps", "pdf")
        self.assertTrue(content.startswith(b"%PDF-"))
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        self.assertIn("Gap report", text)
        self.assertIn("Acme Imports LLC", text)
        self.assertIn("Criterion 4.1 summary", text)
        self.assertIn("admin@acme.test", text)
        self.assertNotIn("Criterion 1.2 summary", text)  # implemented: not a gap

    def test_the_profile_pdf_holds_the_answers(self) -> None:
        content = self.download("profile", "pdf")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        self.assertIn("Security profile", text)
        self.assertIn("Readiness by category", text)
        self.assertIn("HYPERLINK", text)

    def test_the_pdf_follows_the_language(self) -> None:
        self.login("viewer")
        url = reverse("profiles:profile-export", args=[self.company.pk, "gaps", "pdf"])
        response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="es")
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        self.assertIn("Informe de brechas", text)

    def test_an_unknown_format_answers_404(self) -> None:
        self.login("viewer")
        url = reverse("profiles:profile-export", args=[self.company.pk, "gaps", "docx"])
        self.assertEqual(self.client.get(url).status_code, 404)
