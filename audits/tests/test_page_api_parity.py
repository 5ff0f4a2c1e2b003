"""Mock-audit steps done once through the page and once through the API write the same rows
and audit entries (both call `audits.workflow`); a refusal is a page message and a 409 with
its code."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from actions.models import CorrectiveAction
from audits import workflow
from audits.models import Finding, MockAudit
from audits.tests.test_audits import AuditTestCase
from catalogue.models import CatalogueQuerySet
from portal.testing import written
from profiles.tests.factories import criterion

TABLES = (MockAudit, Finding, CorrectiveAction)


class AuditParityTests(AuditTestCase):
    def test_starting_an_audit_writes_the_same_rows(self) -> None:
        self.login("consultant")
        with written(*TABLES) as page:
            self.client.post(
                reverse("audits:audit-list", args=[self.company.pk]),
                {"title": "By page", "kind": "consultant"},
            )
        with written(*TABLES) as api:
            answer = self.api_as("consultant").post(
                reverse("api:mockaudit-list"),
                {"company": self.company.pk, "title": "By API", "kind": "consultant"},
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["audits.MockAudit"], 1)
        self.assertEqual(page, api)
        by_page, by_api = (
            MockAudit.objects.get(title="By page"),
            MockAudit.objects.get(title="By API"),
        )
        self.assertEqual((by_page.profile, by_page.auditor), (by_api.profile, by_api.auditor))

    def test_recording_a_result_writes_the_same_rows(self) -> None:
        self.login("consultant")
        with written(*TABLES) as page:
            self.client.post(
                reverse(
                    "audits:finding-edit",
                    args=[self.company.pk, self.audit.pk, criterion(self.catalogue, "3.1").pk],
                ),
                {"result": "fail", "notes": "No records"},
            )
        with written(*TABLES) as api:
            answer = self.api_as("consultant").post(
                reverse("api:finding-list"),
                {
                    "audit": self.audit.pk,
                    "criterion": criterion(self.catalogue, "4.1").pk,
                    "result": "fail",
                    "notes": "No records",
                },
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["audits.Finding"], 1)
        self.assertEqual(page, api)

    def test_a_closed_audit_is_refused_as_a_page_message_and_a_409_with_its_code(self) -> None:
        workflow.complete_audit(self.audit, self.users["consultant"], "")
        self.login("consultant")
        with written(*TABLES) as page:
            shown = self.client.post(self.finding_url("3.1"), {"result": "pass"}, follow=True)
        self.assertContains(shown, "is completed")
        with written(*TABLES) as api:
            answer = self.api_as("consultant").post(
                reverse("api:finding-list"),
                {"audit": self.audit.pk, "criterion": criterion(self.catalogue, "3.1").pk,
                 "result": "pass"},
                format="json",
            )  # fmt: skip
        self.assertEqual(answer.status_code, 409)
        self.assertEqual(answer.json()["code"], "audit_closed")
        self.assertIn("is completed", answer.json()["detail"])
        self.assertFalse(page)
        self.assertFalse(api)

    @mock.patch.object(CatalogueQuerySet, "latest_published", return_value=None)
    def test_no_catalogue_is_refused_the_same_way(self, _: object) -> None:
        self.login("consultant")
        url = reverse("audits:audit-list", args=[self.third_company.pk])
        shown = self.client.post(url, {"title": "No catalogue", "kind": "consultant"})
        self.assertContains(shown, "No criteria catalogue is loaded.", status_code=400)
        answer = self.api_as("consultant").post(
            reverse("api:mockaudit-list"),
            {"company": self.third_company.pk, "title": "No catalogue", "kind": "consultant"},
            format="json",
        )
        self.assertEqual((answer.status_code, answer.json()["code"]), (409, "no_catalogue"))
        self.assertFalse(MockAudit.objects.filter(title="No catalogue").exists())
