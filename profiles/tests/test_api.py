"""The security profile API: answers with optimistic concurrency, evidence uploads checked
as on the pages, submission with the authenticator code, diffs, and the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from applications.tests.factories import current_code
from audits.models import MockAudit
from profiles.models import EvidenceFile, Response, SecurityProfile, Submission
from profiles.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    OneProfileTestCase,
    answer,
    submit,
    upload,
)


class APITestCase(OneProfileTestCase):
    def setUp(self) -> None:
        cache.clear()  # used TOTP codes and lockout counters
        self.api = APIClient()

    def as_(self, persona: str) -> APIClient:
        self.api.force_authenticate(self.users[persona])
        return self.api


class AnswerAPITests(APITestCase):
    def url(self) -> str:
        return reverse("api:response-detail", args=[self.response.pk])

    def test_an_update_with_the_version_read_saves(self) -> None:
        result = self.as_("user").patch(
            self.url(), {"status": "partly", "version": 0}, format="json"
        )
        self.assertEqual(result.status_code, 200, result.content)
        self.assertEqual((result.json()["status"], result.json()["version"]), ("partly", 1))

    def test_a_stale_version_answers_409_and_changes_nothing(self) -> None:
        answer(self.profile, "3.1", narrative="Theirs")
        self.response.refresh_from_db()
        Response.objects.filter(pk=self.response.pk).update(updated_by=self.users["admin"])
        result = self.as_("user").patch(
            self.url(), {"narrative": "Mine", "version": 0}, format="json"
        )
        self.assertEqual(result.status_code, 409)
        self.assertIn("changed by admin@acme.test", result.json()["detail"])
        self.assertEqual(result.json()["current"]["narrative"], "Theirs")
        self.response.refresh_from_db()
        self.assertEqual(self.response.narrative, "Theirs")

    def test_the_version_is_required(self) -> None:
        result = self.as_("user").patch(self.url(), {"status": "partly"}, format="json")
        self.assertEqual(result.status_code, 400)
        self.assertIn("version", result.json())

    def test_not_applicable_needs_a_reason_through_the_api_too(self) -> None:
        result = self.as_("user").patch(
            self.url(), {"status": "not_applicable", "version": 0}, format="json"
        )
        self.assertEqual(result.status_code, 400)
        self.assertIn("na_reason", result.json())

    def test_filters(self) -> None:
        answer(self.profile, "1.1", status="implemented")
        api = self.as_("viewer")
        url = reverse("api:response-list")
        musts = api.get(url, {"profile": str(self.profile.pk), "requirement": "must"}).json()
        self.assertEqual(
            sorted(r["criterion_ref"] for r in musts["results"]), ["1.2", "3.1", "4.1"]
        )
        done = api.get(url, {"status": "implemented"}).json()
        self.assertEqual([r["criterion_ref"] for r in done["results"]], ["1.1"])

    def test_another_company_s_answer_answers_404(self) -> None:
        result = self.as_("other").get(self.url())
        self.assertEqual(result.status_code, 404)


class EvidenceAPITests(APITestCase):
    def create(self, name: str, content: bytes) -> Any:
        return self.as_("user").post(
            reverse("api:evidence-list"),
            {"response": self.response.pk, "title": "Procedure", "file": upload(name, content)},
            format="multipart",
        )

    def test_upload_and_new_version(self) -> None:
        created = self.create("procedure.pdf", PDF_BYTES)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["current_version"], 1)
        evidence_id = created.json()["id"]
        again = self.api.post(
            reverse("api:evidencefile-list"),
            {"evidence": evidence_id, "file": upload("procedure-2.pdf", PDF_BYTES + b"%2")},
            format="multipart",
        )
        self.assertEqual(again.status_code, 201, again.content)
        self.assertEqual(again.json()["version"], 2)
        self.assertEqual(EvidenceFile.objects.filter(evidence_id=evidence_id).count(), 2)
        file = EvidenceFile.objects.get(evidence_id=evidence_id, version=1)
        download = self.as_("specialist").get(reverse("api:evidencefile-download", args=[file.pk]))
        self.assertEqual(b"".join(download.streaming_content), PDF_BYTES)  # type: ignore[attr-defined]

    def test_a_disguised_program_is_refused(self) -> None:
        result = self.create("invoice.pdf", EXE_BYTES)
        self.assertEqual(result.status_code, 400)
        self.assertIn("Windows program", result.json()["file"][0])
        self.assertFalse(EvidenceFile.objects.exists())

    def test_evidence_cannot_be_attached_to_another_company_s_answer(self) -> None:
        other = SecurityProfile.start(self.other_company).responses.first()
        assert other is not None
        result = self.as_("user").post(
            reverse("api:evidence-list"),
            {"response": other.pk, "title": "x", "file": upload("a.pdf", PDF_BYTES)},
            format="multipart",
        )
        self.assertEqual(result.status_code, 400)
        self.assertIn("response", result.json())


class SubmissionAPITests(APITestCase):
    def test_the_officer_submits_with_an_authenticator_code(self) -> None:
        answer(self.profile, "1.2", status="implemented")
        url = reverse("api:securityprofile-submit", args=[self.profile.pk])
        data = {"full_name": "Dana Price", "title": "COO", "attest": True, "otp_code": "000000"}
        wrong = self.as_("officer").post(url, data, format="json")
        self.assertEqual(wrong.status_code, 400)
        data["otp_code"] = current_code(self.users["officer"])
        result = self.api.post(url, data, format="json")
        self.assertEqual(result.status_code, 201, result.content)
        self.assertEqual(result.json()["number"], 1)
        again = self.api.post(url, data, format="json")
        self.assertEqual(again.status_code, 409)

    def test_diff_between_submissions(self) -> None:
        first = submit(self.profile, self.users["officer"])
        answer(self.profile, "3.1", status="implemented")
        second = submit(self.profile, self.users["officer"])
        result = self.as_("viewer").get(reverse("api:submission-diff", args=[second.pk]))
        body = result.json()
        self.assertEqual((body["from"], body["to"]), (first.number, second.number))
        self.assertEqual([c["ref_id"] for c in body["changes"]], ["3.1"])
        listing = self.api.get(reverse("api:submission-list")).json()
        self.assertNotIn("snapshot", listing["results"][0])
        self.assertEqual(Submission.objects.count(), 2)

    def test_readiness(self) -> None:
        answer(self.profile, "3.1", status="implemented")
        result = self.as_("viewer").get(
            reverse("api:securityprofile-readiness", args=[self.profile.pk])
        )
        self.assertEqual(result.json()["overall"], 27)  # 3 of 11


class AuditAPITests(APITestCase):
    def test_record_results_and_complete(self) -> None:
        api = self.as_("consultant")
        audit = api.post(
            reverse("api:mockaudit-list"),
            {"company": self.company.pk, "title": "Walk"},
            format="json",
        )
        self.assertEqual(audit.status_code, 201, audit.content)
        audit_id = audit.json()["id"]
        crit = self.catalogue.criteria.get(ref_id="3.1").pk
        finding = api.post(
            reverse("api:finding-list"),
            {"audit": audit_id, "criterion": crit, "result": "fail", "notes": "No records"},
            format="json",
        )
        self.assertEqual(finding.status_code, 201, finding.content)
        not_applicable = self.catalogue.criteria.get(ref_id="3.8").pk
        refused = api.post(
            reverse("api:finding-list"),
            {"audit": audit_id, "criterion": not_applicable, "result": "pass"},
            format="json",
        )
        self.assertEqual(refused.status_code, 400)
        done = api.post(reverse("api:mockaudit-complete", args=[audit_id]), {}, format="json")
        self.assertEqual([a["criterion_ref"] for a in done.json()], ["3.1"])
        self.assertEqual(done.json()[0]["source_type"], "audits.finding")
        again = api.post(reverse("api:mockaudit-complete", args=[audit_id]), {}, format="json")
        self.assertEqual(again.status_code, 409)
        self.assertFalse(MockAudit.objects.get(pk=audit_id).summary)


class SchemaTests(APITestCase):
    def test_the_openapi_schema_describes_the_endpoints(self) -> None:
        self.login("viewer")
        schema = self.client.get(reverse("api:schema"), {"format": "json"}).json()
        for path in (
            "/api/v1/profiles/{id}/submit/",
            "/api/v1/responses/{id}/",
            "/api/v1/evidence/",
            "/api/v1/evidence-files/{id}/download/",
            "/api/v1/submissions/{id}/diff/",
            "/api/v1/findings/",
            "/api/v1/corrective-actions/",
            "/api/v1/mock-audits/{id}/complete/",
        ):
            self.assertIn(path, schema["paths"])
