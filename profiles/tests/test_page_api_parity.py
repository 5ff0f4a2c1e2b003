"""Each evidence upload done once through its page and once through the API writes the same
rows and audit entries (both call `profiles.workflow`), and a refusal reads the same way."""

from __future__ import annotations

from django.urls import reverse

from portal.testing import written
from profiles.models import Evidence, EvidenceFile, SecurityProfile
from profiles.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    OneProfileTestCase,
    add_evidence,
    criterion,
    upload,
)


class EvidenceParityTests(OneProfileTestCase):
    def upload_page(self, content: bytes = PDF_BYTES) -> object:
        self.login("user")
        url = reverse(
            "profiles:evidence-upload", args=[self.company.pk, criterion(self.catalogue, "3.1").pk]
        )
        return self.client.post(url, {"title": "Procedure", "file": upload("p.pdf", content)})

    def upload_api(self, content: bytes = PDF_BYTES) -> object:
        return self.api_as("user").post(
            reverse("api:evidence-list"),
            {"response": self.response.pk, "title": "Procedure", "file": upload("p.pdf", content)},
            format="multipart",
        )

    def clean_profile(self) -> None:
        SecurityProfile.objects.filter(pk=self.profile.pk).update(has_unsubmitted_changes=False)

    def changed(self) -> bool:
        self.profile.refresh_from_db()
        return self.profile.has_unsubmitted_changes

    def test_a_new_evidence_writes_the_same_rows_from_the_page_and_the_api(self) -> None:
        self.clean_profile()
        with written(Evidence, EvidenceFile) as page:
            self.assertEqual(self.upload_page().status_code, 302)  # type: ignore[attr-defined]
        self.assertTrue(self.changed())
        self.clean_profile()
        with written(Evidence, EvidenceFile) as api:
            self.assertEqual(self.upload_api().status_code, 201)  # type: ignore[attr-defined]
        self.assertTrue(self.changed())
        self.assertEqual(page.rows, {"profiles.Evidence": 1, "profiles.EvidenceFile": 1})
        self.assertEqual(page, api)
        self.assertEqual(
            page.audit, {"profiles.evidence:create": 1, "profiles.evidencefile:create": 1}
        )
        created_by = set(Evidence.objects.values_list("created_by__email", flat=True))
        self.assertEqual(created_by, {"user@acme.test"})

    def test_a_new_version_writes_the_same_rows_from_the_page_and_the_api(self) -> None:
        evidence = add_evidence(self.response)
        self.login("user")
        page_url = reverse("profiles:evidence-version-upload", args=[self.company.pk, evidence.pk])
        self.clean_profile()
        with written(Evidence, EvidenceFile) as page:
            self.client.post(page_url, {"file": upload("v2.pdf", PDF_BYTES + b"%2")})
        self.assertTrue(self.changed())
        self.clean_profile()
        with written(Evidence, EvidenceFile) as api:
            answer = self.api_as("user").post(
                reverse("api:evidencefile-list"),
                {"evidence": evidence.pk, "file": upload("v3.pdf", PDF_BYTES + b"%3")},
                format="multipart",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertTrue(self.changed())
        self.assertEqual(page.rows, {"profiles.Evidence": 0, "profiles.EvidenceFile": 1})
        self.assertEqual(page, api)
        self.assertEqual(sorted(evidence.files.values_list("version", flat=True)), [1, 2, 3])

    def test_a_refused_file_writes_nothing_on_either_side(self) -> None:
        with written(Evidence, EvidenceFile) as page:
            refused = self.upload_page(EXE_BYTES)
        self.assertContains(refused, "is a Windows program", status_code=400)  # type: ignore[arg-type]
        with written(Evidence, EvidenceFile) as api:
            answer = self.upload_api(EXE_BYTES)
        self.assertEqual(answer.status_code, 400)  # type: ignore[attr-defined]
        self.assertIn("is a Windows program", str(answer.json()))  # type: ignore[attr-defined]
        self.assertFalse(page)
        self.assertFalse(api)
