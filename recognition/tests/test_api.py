"""The partner status API: create, whether it counts, proof upload, tenant isolation."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.testing import PersonaTestCase
from recognition.models import PartnerStatus
from recognition.tests.factories import PDF_BYTES, partner


class StatusApiTests(PersonaTestCase):
    def setUp(self) -> None:
        self.partner = partner(self.company, "Seoul Electronics", country="KR")

    def test_create_then_upload_proof_makes_it_count(self) -> None:
        self.login("user")
        created = self.client.post(
            reverse("api:partner-status-list"),
            {
                "partner": self.partner.pk,
                "program": "aeo",
                "country": "KR",
                "number": "KRAEO-42",
                "issued_on": "2025-02-01",
            },
            content_type="application/json",
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertFalse(created.json()["counts"])  # no proof yet
        pk = created.json()["id"]
        proof_url = reverse("api:partner-status-proof", args=[pk])
        bad = self.client.post(proof_url, {"file": SimpleUploadedFile("k.pdf", b"\x7fELF..")})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("a Linux program", bad.json()["file"][0])
        good = self.client.post(proof_url, {"file": SimpleUploadedFile("k.pdf", PDF_BYTES)})
        self.assertEqual(good.status_code, 201, good.content)
        detail = self.client.get(reverse("api:partner-status-detail", args=[pk])).json()
        self.assertTrue(detail["counts"])
        self.assertEqual(detail["proofs"][0]["name"], "k.pdf")

    def test_model_rules_answer_400_naming_the_field(self) -> None:
        self.login("user")
        response = self.client.post(
            reverse("api:partner-status-list"),
            {
                "partner": self.partner.pk,
                "program": "other",
                "country": "KR",
                "number": "X",
                "issued_on": "2025-02-01",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("program_name", response.json())

    def test_another_companys_partner_answers_404(self) -> None:
        self.login("other")
        response = self.client.post(
            reverse("api:partner-status-list"),
            {
                "partner": self.partner.pk,
                "program": "ctpat",
                "country": "US",
                "number": "X",
                "issued_on": "2025-02-01",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(PartnerStatus.objects.exists())
