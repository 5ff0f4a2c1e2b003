"""Screening evidence: the partner's PDF and CSV and the company-wide CSV."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from partners import workflow
from partners.models import BusinessPartner, ScreeningPolicy
from portal.testing import PersonaTestCase
from screening.index import clear_cache, default_lists_dir
from screening.models import ListVersion


class EvidenceTests(PersonaTestCase):
    def setUp(self) -> None:
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        self.addCleanup(clear_cache)
        folder = tmp / "dpl_2022-09-07"
        folder.mkdir()
        shutil.copy(default_lists_dir() / "bis_dpl_2022-09-07" / "dpl.txt", folder / "dpl.txt")
        call_command("load_watchlists", str(folder), stdout=io.StringIO())
        self.version = ListVersion.objects.get()
        ScreeningPolicy.objects.create(company=self.company, four_eyes=True)
        self.partner = BusinessPartner.objects.create(
            company=self.company, name="Abdul Majid Saidi", role="manufacturer", country="US"
        )
        self.clear = BusinessPartner.objects.create(
            company=self.company, name="Bodega Tranquila", role="warehouse", country="MX"
        )
        workflow.screen_partners([self.partner, self.clear])
        screening = self.partner.screenings.get()
        workflow.decide(screening, self.users["user"], "false_positive", "Different person")
        workflow.decide(screening, self.users["admin"], "false_positive", "DOB differs")

    def test_partner_pdf_names_partner_list_version_and_reviewers(self) -> None:
        self.login("viewer")
        url = reverse("partners:partner-screening-pdf", args=[self.company.pk, self.partner.pk])
        response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        flat = " ".join(text.split())
        self.assertIn("Abdul Majid Saidi", flat)
        self.assertIn("bis_dpl 2022-09-07", flat)
        self.assertIn(self.version.sha256[:16], flat.replace(" ", ""))
        self.assertIn("user@acme.test", flat)
        self.assertIn("admin@acme.test", flat)
        self.assertIn("DOB differs", flat)

    def test_partner_csv_has_one_row_per_hit_with_list_hash_and_decision(self) -> None:
        self.login("viewer")
        url = reverse("partners:partner-screening-csv", args=[self.company.pk, self.partner.pk])
        body = b"".join(self.client.get(url).streaming_content).decode()  # type: ignore[attr-defined]
        rows = list(csv.DictReader(io.StringIO(body)))
        alert = next(r for r in rows if r["hit_alert"] == "yes")
        self.assertIn(self.version.sha256, alert["list_versions"])
        reviewers = (alert["first_reviewer"], alert["reviewer"])
        self.assertEqual(reviewers, ("user@acme.test", "admin@acme.test"))
        self.assertEqual(alert["result"], "False positive")
        self.assertTrue(alert["explanation"])

    def test_company_csv_has_each_partners_latest_screening(self) -> None:
        workflow.screen_partners([self.clear])  # a newer screening of the same partner
        self.login("viewer")
        url = reverse("partners:screening-evidence-export", args=[self.company.pk])
        body = b"".join(self.client.get(url).streaming_content).decode()  # type: ignore[attr-defined]
        rows = {r["partner"]: r for r in csv.DictReader(io.StringIO(body))}
        self.assertEqual(set(rows), {"Abdul Majid Saidi", "Bodega Tranquila"})
        self.assertEqual(rows["Abdul Majid Saidi"]["reviewer"], "admin@acme.test")
        self.assertEqual(rows["Bodega Tranquila"]["result"], "Clear")
        self.assertIn(self.version.sha256, rows["Bodega Tranquila"]["list_versions"])
        self.login("other")
        self.assertEqual(self.client.get(url).status_code, 404)
