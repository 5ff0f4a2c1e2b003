"""A partner's status recorded once through the page and once through the API writes the
same rows (both call `recognition.workflow.record_status`: the status with its proof, never
without); a proof added later likewise (`recognition.workflow.add_proof`); a refused or
missing file writes nothing on either side."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from portal.testing import PersonaTestCase, written
from profiles.tests.factories import MEDIA_ROOT
from recognition.models import PartnerStatus, StatusProof
from recognition.tests.factories import PDF_BYTES, partner, status

TABLES = (PartnerStatus, StatusProof)


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class ProofParityTests(PersonaTestCase):
    def setUp(self) -> None:
        self.item = status(partner(self.company, "Seoul Electronics", country="KR"), proof=False)

    def page(self, content: bytes) -> object:
        self.login("user")
        url = reverse("recognition:proof-create", args=[self.company.pk, self.item.pk])
        return self.client.post(url, {"proof": SimpleUploadedFile("k.pdf", content)}, follow=True)

    def api(self, content: bytes) -> object:
        url = reverse("api:partner-status-proof", args=[self.item.pk])
        file = SimpleUploadedFile("k.pdf", content)
        return self.api_as("user").post(url, {"file": file}, format="multipart")

    def test_a_proof_writes_the_same_rows_from_the_page_and_the_api(self) -> None:
        with written(*TABLES) as page:
            self.page(PDF_BYTES)
        with written(*TABLES) as api:
            answer = self.api(PDF_BYTES + b"%2")
            self.assertEqual(answer.status_code, 201, answer.content)  # type: ignore[attr-defined]
        self.assertEqual(page.rows, {"recognition.PartnerStatus": 0, "recognition.StatusProof": 1})
        self.assertEqual(page, api)
        self.assertEqual(set(self.item.proofs.values_list("uploaded_by__email", flat=True)),
                         {"user@acme.test"})  # fmt: skip

    def test_a_program_file_is_refused_on_both_sides(self) -> None:
        with written(*TABLES) as page:
            shown = self.page(b"\x7fELF..")
        self.assertContains(shown, "a Linux program")  # type: ignore[arg-type]
        with written(*TABLES) as api:
            answer = self.api(b"\x7fELF..")
        self.assertEqual(answer.status_code, 400)  # type: ignore[attr-defined]
        self.assertFalse(page)
        self.assertFalse(api)


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class StatusCreateParityTests(PersonaTestCase):
    FIELDS = {"program": "aeo", "country": "KR", "number": "KRAEO-1", "issued_on": "2025-02-01"}

    def setUp(self) -> None:
        self.partner = partner(self.company, "Seoul Electronics", country="KR")

    def page(self, proof: SimpleUploadedFile | None, number: str) -> object:
        self.login("user")
        url = reverse("recognition:status-create", args=[self.company.pk, self.partner.pk])
        data: dict[str, object] = {**self.FIELDS, "number": number, "expires_on": ""}
        if proof is not None:
            data["proof"] = proof
        return self.client.post(url, data, follow=True)

    def api(self, proof: SimpleUploadedFile | None, number: str) -> object:
        data: dict[str, object] = {**self.FIELDS, "number": number, "partner": self.partner.pk}
        if proof is not None:
            data["file"] = proof
        url = reverse("api:partner-status-list")
        return self.api_as("user").post(url, data, format="multipart")

    def test_a_status_writes_the_same_rows_from_the_page_and_the_api(self) -> None:
        with written(*TABLES) as page:
            self.page(SimpleUploadedFile("k.pdf", PDF_BYTES), "KRAEO-1")
        with written(*TABLES) as api:
            answer = self.api(SimpleUploadedFile("k.pdf", PDF_BYTES + b"%2"), "KRAEO-2")
            self.assertEqual(answer.status_code, 201, answer.content)  # type: ignore[attr-defined]
        self.assertEqual(page.rows, {"recognition.PartnerStatus": 1, "recognition.StatusProof": 1})
        self.assertEqual(page, api)
        for item in PartnerStatus.objects.all():
            self.assertTrue(item.counts())

    def test_without_a_proof_or_with_a_program_file_neither_side_records_it(self) -> None:
        for proof in (None, SimpleUploadedFile("k.pdf", b"\x7fELF..")):
            with written(*TABLES) as page:
                self.page(proof, "KRAEO-1")
            with written(*TABLES) as api:
                answer = self.api(proof, "KRAEO-1")
            self.assertEqual(answer.status_code, 400)  # type: ignore[attr-defined]
            self.assertIn("file", answer.json())  # type: ignore[attr-defined]
            self.assertFalse(page)
            self.assertFalse(api)


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class VerifyRevokeParityTests(PersonaTestCase):
    """Verifying and revoking a status: the page's buttons and the API's actions both go
    through `recognition.workflow.verify_status` / `revoke_status`."""

    def setUp(self) -> None:
        self.seoul = partner(self.company, "Seoul Electronics", country="KR")
        self.on_page = status(self.seoul, number="KRAEO-1")
        self.by_api = status(self.seoul, number="KRAEO-2")

    def page(self, verb: str, item: PartnerStatus, data: dict[str, str] | None = None) -> object:
        self.login("user")
        url = reverse(f"recognition:status-{verb}", args=[self.company.pk, item.pk])
        return self.client.post(url, data or {}, follow=True)

    def api(self, verb: str, item: PartnerStatus, data: dict[str, str] | None = None) -> object:
        url = reverse(f"api:partner-status-{verb}", args=[item.pk])
        return self.api_as("user").post(url, data or {}, format="json")

    def test_verifying_writes_the_same_from_the_page_and_the_api(self) -> None:
        with written(*TABLES) as page:
            self.page("verify", self.on_page)
        with written(*TABLES) as api:
            answer = self.api("verify", self.by_api)
            self.assertEqual(answer.status_code, 200, answer.content)  # type: ignore[attr-defined]
        self.assertEqual(page, api)
        self.assertEqual(page.audit, {"recognition.partnerstatus:update": 1})
        for item in (self.on_page, self.by_api):
            item.refresh_from_db()
            self.assertEqual(item.verified_by, self.users["user"])
            self.assertIsNotNone(item.verified_at)

    def test_neither_side_verifies_a_status_without_its_proof(self) -> None:
        bare = status(self.seoul, number="KRAEO-3", proof=False)
        with written(*TABLES) as page:
            shown = self.page("verify", bare)
        self.assertContains(shown, "Upload the proof document before marking it verified")  # type: ignore[arg-type]
        with written(*TABLES) as api:
            answer = self.api("verify", bare)
        self.assertEqual(answer.status_code, 409)  # type: ignore[attr-defined]
        self.assertEqual(answer.json()["code"], "proof_missing")  # type: ignore[attr-defined]
        self.assertFalse(page)
        self.assertFalse(api)

    def test_revoking_writes_the_same_and_a_reasonless_revocation_is_refused(self) -> None:
        data = {"revoked_on": "2025-06-01", "reason": "Suspended by the program"}
        with written(*TABLES) as page:
            self.page("revoke", self.on_page, data)
        with written(*TABLES) as api:
            answer = self.api("revoke", self.by_api, data)
            self.assertEqual(answer.status_code, 200, answer.content)  # type: ignore[attr-defined]
        self.assertEqual(page, api)
        self.assertEqual(page.audit, {"recognition.partnerstatus:update": 1})
        for item in (self.on_page, self.by_api):
            item.refresh_from_db()
            self.assertEqual(str(item.revoked_on), "2025-06-01")
            self.assertFalse(item.counts())
        # A row that no longer holds (an unnamed "other" program) cannot be revoked either
        # way until it is corrected; the refusal names what to fix and writes nothing.
        broken = status(self.seoul, "other", "KR", number="KRAEO-3", program_name="")
        with written(*TABLES) as page:
            shown = self.page("revoke", broken, data)
        self.assertContains(shown, "Name the program.")  # type: ignore[arg-type]
        with written(*TABLES) as api:
            answer = self.api("revoke", broken, data)
        self.assertEqual(answer.status_code, 400)  # type: ignore[attr-defined]
        self.assertEqual(answer.json()["code"], "revocation_invalid")  # type: ignore[attr-defined]
        self.assertFalse(page)
        self.assertFalse(api)
