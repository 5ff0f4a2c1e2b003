"""Mock audits: walking the checklist, photos checked like evidence, and completion
raising corrective actions (once)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import time_machine
from django.conf import settings
from django.urls import reverse

from actions.models import CorrectiveAction
from audits import workflow
from audits.models import Finding, FindingPhoto, MockAudit
from catalogue.models import Catalogue
from profiles.models import SecurityProfile
from profiles.tests.factories import (
    EXE_BYTES,
    JPEG_BYTES,
    ProfilesTestCase,
    answer,
    criterion,
    make_catalogue,
    upload,
)


class AuditTestCase(ProfilesTestCase):
    catalogue: Catalogue
    profile: SecurityProfile
    audit: MockAudit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        cls.profile = SecurityProfile.start(cls.company)
        answer(cls.profile, "3.1", status="implemented", owner=cls.users["admin"])
        cls.audit = MockAudit.objects.create(
            company=cls.company,
            profile=cls.profile,
            title="Pre-validation walk",
            auditor=cls.users["consultant"],
        )

    def finding_url(self, ref_id: str) -> str:
        return reverse(
            "audits:finding-edit",
            args=[self.company.pk, self.audit.pk, criterion(self.catalogue, ref_id).pk],
        )


class ChecklistTests(AuditTestCase):
    def test_a_consultant_starts_an_audit_of_the_profile(self) -> None:
        self.login("consultant")
        response = self.client.post(
            reverse("audits:audit-list", args=[self.company.pk]),
            {"title": "Consultant review", "kind": "consultant"},
        )
        audit = MockAudit.objects.get(title="Consultant review")
        self.assertRedirects(response, audit.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual((audit.auditor, audit.profile), (self.users["consultant"], self.profile))

    def test_the_checklist_shows_each_applicable_criterion_with_the_answer(self) -> None:
        self.login("viewer")
        page = self.client.get(self.audit.get_absolute_url())
        refs = [item["criterion"].ref_id for item in page.context["items"]]
        self.assertEqual(refs, ["1.1", "1.2", "3.1", "4.1", "4.2"])
        self.assertContains(page, "admin@acme.test")

    def test_recording_results_with_htmx_returns_the_row(self) -> None:
        self.login("consultant")
        response = self.client.post(
            self.finding_url("3.1"),
            {"result": "fail", "notes": "No screening records for 2025"},
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="criterion-')
        self.assertContains(response, "Saved.")
        finding = Finding.objects.get()
        self.assertEqual((finding.result, finding.checked_by), ("fail", self.users["consultant"]))

    def test_a_failure_needs_notes(self) -> None:
        self.login("consultant")
        response = self.client.post(
            self.finding_url("3.1"), {"result": "fail", "notes": ""}, HTTP_HX_REQUEST="true"
        )
        self.assertContains(response, "needs notes")
        self.assertFalse(Finding.objects.exists())

    def test_photos_are_checked_like_evidence(self) -> None:
        self.login("consultant")
        url = reverse(
            "audits:photo-upload",
            args=[self.company.pk, self.audit.pk, criterion(self.catalogue, "3.1").pk],
        )
        self.client.post(url, {"file": upload("gate.jpg", JPEG_BYTES)})
        response = self.client.post(url, {"file": upload("gate2.jpg", EXE_BYTES)}, follow=True)
        self.assertContains(response, "is a Windows program")
        self.assertEqual(
            list(FindingPhoto.objects.values_list("original_name", flat=True)), ["gate.jpg"]
        )
        photo = FindingPhoto.objects.get()
        self.login("viewer")
        download = self.client.get(
            reverse("audits:photo-download", args=[self.company.pk, photo.pk])
        )
        self.assertEqual(download["Content-Type"], "image/jpeg")

    def test_a_completed_audit_takes_no_photo_and_keeps_no_file(self) -> None:
        workflow.complete_audit(self.audit, self.users["admin"])
        point = criterion(self.catalogue, "3.1")
        folder = Path(settings.MEDIA_ROOT)
        files_before = sorted(p for p in folder.rglob("*") if p.is_file())
        with self.assertRaises(workflow.AuditClosed):
            workflow.add_photo(
                self.audit, point, upload=upload("late.jpg", JPEG_BYTES), by=self.users["admin"]
            )
        self.assertFalse(FindingPhoto.objects.exists())
        self.assertEqual(sorted(p for p in folder.rglob("*") if p.is_file()), files_before)


class CompletionTests(AuditTestCase):
    def record(self, ref_id: str, result: str, notes: str = "") -> Finding:
        return workflow.record_result(
            self.audit,
            criterion(self.catalogue, ref_id),
            result=result,
            notes=notes,
            by=self.users["consultant"],
        )

    def complete(self) -> Any:
        self.login("consultant")
        return self.client.post(
            reverse("audits:audit-complete", args=[self.company.pk, self.audit.pk]),
            {"summary": "Two issues"},
        )

    @time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC), tick=False)
    def test_completion_raises_a_corrective_action_per_failure_and_observation(self) -> None:
        self.record("1.1", "pass")
        fail = self.record("3.1", "fail", "No screening records")
        observation = self.record("4.1", "observation", "Passwords shared")
        self.complete()
        actions = {a.criterion_ref: a for a in CorrectiveAction.objects.all()}
        self.assertEqual(set(actions), {"3.1", "4.1"})
        self.assertEqual(actions["3.1"].source, fail)
        self.assertEqual(actions["3.1"].owner, self.users["admin"])  # the answer's owner
        self.assertEqual(actions["3.1"].due_date, datetime.date(2026, 5, 31))
        self.assertEqual(actions["4.1"].source, observation)
        self.assertEqual(actions["4.1"].due_date, datetime.date(2026, 7, 30))
        self.assertIn("No screening records", actions["3.1"].description)
        self.audit.refresh_from_db()
        self.assertFalse(self.audit.is_open)
        self.assertEqual(self.audit.summary, "Two issues")

    def test_completing_twice_creates_nothing_twice(self) -> None:
        self.record("3.1", "fail", "No records")
        self.complete()
        self.complete()
        self.assertEqual(CorrectiveAction.objects.count(), 1)

    def test_a_completed_audit_no_longer_changes(self) -> None:
        self.complete()
        with self.assertRaises(workflow.AuditClosed):
            self.record("3.1", "pass")
        response = self.client.post(self.finding_url("3.1"), {"result": "pass"}, follow=True)
        self.assertContains(response, "is completed")

    def test_the_actions_link_back_to_the_finding(self) -> None:
        self.record("3.1", "fail", "No records")
        self.complete()
        action = CorrectiveAction.objects.get()
        self.login("viewer")
        page = self.client.get(action.get_absolute_url())
        self.assertContains(page, f'href="{self.audit.get_absolute_url()}#criterion-')
