"""Recording a partner's program status with its proof, verifying and revoking it, and
the vetting path shown on the partner's page."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.testing import PersonaTestCase
from recognition.models import PartnerStatus, StatusProof
from recognition.tests.factories import PDF_BYTES, partner, status


class StatusPageTests(PersonaTestCase):
    def setUp(self) -> None:
        self.partner = partner(self.company, "Rotterdam Forwarding BV", country="NL")
        self.create_url = reverse(
            "recognition:status-create", args=[self.company.pk, self.partner.pk]
        )

    def _post(self, **changes: Any) -> Any:
        data: dict[str, Any] = {
            "program": "aeo",
            "country": "NL",
            "number": "NLAEOF1234567",
            "issued_on": "2024-05-01",
            "expires_on": "",
            "proof": SimpleUploadedFile("aeo.pdf", PDF_BYTES),
        }
        data.update(changes)
        return self.client.post(self.create_url, data)

    def test_status_with_proof_turns_the_vetting_path_short(self) -> None:
        self.login("user")
        page = self.client.get(self.partner.get_absolute_url())
        self.assertContains(page, 'data-path="full"')
        self.assertContains(page, "Full questionnaire required")
        response = self._post()
        self.assertRedirects(response, self.partner.get_absolute_url())
        item = PartnerStatus.objects.get(partner=self.partner)
        proof = StatusProof.objects.get(status=item)
        self.assertEqual(proof.content_type, "application/pdf")
        self.assertEqual(proof.uploaded_by, self.users["user"])
        page = self.client.get(self.partner.get_absolute_url())
        self.assertContains(page, 'data-path="short"')
        self.assertContains(page, "Short path (proof + screening)")
        self.assertContains(page, "European Union MRA")
        download = self.client.get(
            reverse("recognition:proof-download", args=[self.company.pk, proof.pk])
        )
        self.assertEqual(b"".join(download.streaming_content), PDF_BYTES)  # type: ignore[attr-defined]

    def test_a_program_without_arrangement_is_recorded_but_does_not_count(self) -> None:
        self.login("user")
        self._post(program="aeo", country="CN", number="CNAEO-9")
        page = self.client.get(self.partner.get_absolute_url())
        self.assertContains(page, 'data-path="full"')
        self.assertContains(page, "no mutual recognition arrangement with the United States")

    def test_a_program_renamed_file_is_refused_with_what_it_really_is(self) -> None:
        self.login("user")
        fake = SimpleUploadedFile("aeo.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100)
        response = self._post(proof=fake)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is a Windows program, whatever its name says")
        self.assertFalse(PartnerStatus.objects.exists())

    def test_form_errors_name_the_field(self) -> None:
        self.login("user")
        response = self._post(program="ctpat", country="MX", expires_on="2020-01-01")
        self.assertContains(response, "CTPAT is the United States&#x27; program")
        self.assertContains(response, "The expiry date is before the issue date.")
        self.assertFalse(PartnerStatus.objects.exists())

    def test_double_submission_records_one_status(self) -> None:
        self.login("user")
        key = "6f1c1d5e-4a55-4c3a-9b0e-0a8c1e2f3b4d"
        self._post(submission_key=key)
        self._post(submission_key=key)
        self.assertEqual(PartnerStatus.objects.count(), 1)

    def test_verify_and_revoke(self) -> None:
        item = status(self.partner, "aeo", "NL")
        self.login("admin")
        verify = reverse("recognition:status-verify", args=[self.company.pk, item.pk])
        self.client.post(verify)
        item.refresh_from_db()
        self.assertEqual(item.verified_by, self.users["admin"])
        self.assertIsNotNone(item.verified_at)
        revoke = reverse("recognition:status-revoke", args=[self.company.pk, item.pk])
        response = self.client.post(revoke, {"revoked_on": "2026-01-10", "reason": ""})
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertIsNone(item.revoked_on)  # a reason is required
        self.client.post(revoke, {"revoked_on": "2026-01-10", "reason": "Suspended by customs"})
        item.refresh_from_db()
        self.assertEqual(str(item.revoked_on), "2026-01-10")
        page = self.client.get(self.partner.get_absolute_url())
        self.assertContains(page, 'data-path="full"')
        self.assertContains(page, "Suspended by customs")

    def test_verifying_needs_a_proof(self) -> None:
        item = status(self.partner, "aeo", "NL", proof=False)
        self.login("user")
        self.client.post(reverse("recognition:status-verify", args=[self.company.pk, item.pk]))
        item.refresh_from_db()
        self.assertIsNone(item.verified_at)
        self.client.post(
            reverse("recognition:proof-create", args=[self.company.pk, item.pk]),
            {"proof": SimpleUploadedFile("scan.pdf", PDF_BYTES)},
        )
        self.assertTrue(item.counts())

    def test_viewers_see_the_panel_without_edit_controls(self) -> None:
        status(self.partner, "aeo", "NL")
        self.login("viewer")
        page = self.client.get(self.partner.get_absolute_url())
        self.assertContains(page, 'data-path="short"')
        self.assertNotContains(page, "Record a program status")
        self.assertNotContains(page, "Mark verified")
