"""The partner status API: create, whether it counts, proof upload, tenant isolation."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.testing import PersonaTestCase
from recognition.models import PartnerStatus
from recognition.tests.factories import PDF_BYTES, partner


class StatusApiTests(PersonaTestCase):
    def setUp(self) -> None:
        self.partner = partner(self.company, "Seoul Electronics", country="KR")

    def test_a_status_is_created_with_its_proof_and_counts(self) -> None:
        self.login("user")
        fields = {
            "partner": self.partner.pk,
            "program": "aeo",
            "country": "KR",
            "number": "KRAEO-42",
            "issued_on": "2025-02-01",
        }
        url = reverse("api:partner-status-list")
        # Without its proof a status is refused, as on the page; nothing is written.
        bare = self.client.post(url, fields, content_type="application/json")
        self.assertEqual(bare.status_code, 400, bare.content)
        self.assertIn("file", bare.json())
        bad = self.client.post(url, {**fields, "file": SimpleUploadedFile("k.pdf", b"\x7fELF..")})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("a Linux program", bad.json()["file"][0])
        self.assertFalse(PartnerStatus.objects.exists())
        created = self.client.post(url, {**fields, "file": SimpleUploadedFile("k.pdf", PDF_BYTES)})
        self.assertEqual(created.status_code, 201, created.content)
        self.assertTrue(created.json()["counts"])
        pk = created.json()["id"]
        proof_url = reverse("api:partner-status-proof", args=[pk])
        more = self.client.post(
            proof_url, {"file": SimpleUploadedFile("k2.pdf", PDF_BYTES + b"%2")}
        )
        self.assertEqual(more.status_code, 201, more.content)
        detail = self.client.get(reverse("api:partner-status-detail", args=[pk])).json()
        self.assertTrue(detail["counts"])
        self.assertEqual(sorted(p["name"] for p in detail["proofs"]), ["k.pdf", "k2.pdf"])

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
                "file": SimpleUploadedFile("k.pdf", PDF_BYTES),
            },
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
