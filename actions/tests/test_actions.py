"""Corrective actions: the list and its filters, editing and closing, evidence files, and
the generic link to whatever raised the action."""

from __future__ import annotations

import datetime

from django.urls import reverse

from actions.models import ActionEvidence, CorrectiveAction
from profiles.tests.factories import EXE_BYTES, PDF_BYTES, ProfilesTestCase, upload


class ActionTests(ProfilesTestCase):
    fence: CorrectiveAction
    policy: CorrectiveAction
    closed: CorrectiveAction

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fence = CorrectiveAction.objects.create(
            company=cls.company,
            title="Repair the fence",
            owner=cls.users["user"],
            due_date=datetime.date(2020, 1, 1),
        )
        cls.policy = CorrectiveAction.objects.create(
            company=cls.company, title="Write the IT policy", due_date=datetime.date(2099, 1, 1)
        )
        cls.closed = CorrectiveAction.objects.create(
            company=cls.company, title="Old", status="done", completion_note="Fixed"
        )

    def list_titles(self, **params: str) -> list[str]:
        self.login("viewer")
        page = self.client.get(reverse("actions:action-list", args=[self.company.pk]), params)
        return [a.title for a in page.context["listing"].page]

    def test_the_list_shows_the_actions_and_filters(self) -> None:
        self.assertEqual(
            sorted(self.list_titles()), ["Old", "Repair the fence", "Write the IT policy"]
        )
        self.assertEqual(
            self.list_titles(status="open", sort="due_date"),
            ["Repair the fence", "Write the IT policy"],
        )
        self.assertEqual(self.list_titles(overdue="true"), ["Repair the fence"])
        self.assertEqual(self.list_titles(status="done"), ["Old"])
        self.assertEqual(self.list_titles(owner=str(self.users["user"].pk)), ["Repair the fence"])
        self.assertEqual(sorted(self.list_titles(owner="null")), ["Old", "Write the IT policy"])

    def test_an_editor_adds_an_action_once(self) -> None:
        self.login("user")
        data = {
            "title": "Train guards",
            "status": "open",
            "due_date": "2030-01-01",
            "submission_key": "7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5",
        }
        url = reverse("actions:action-list", args=[self.company.pk])
        self.client.post(url, data)
        self.client.post(url, data)
        self.assertEqual(CorrectiveAction.objects.filter(title="Train guards").count(), 1)
        self.assertEqual(
            CorrectiveAction.objects.get(title="Train guards").created_by, self.users["user"]
        )

    def test_closing_needs_a_note_and_stamps_the_time(self) -> None:
        self.login("user")
        url = self.fence.get_absolute_url()
        response = self.client.post(url, {"title": self.fence.title, "status": "done"})
        self.assertContains(response, "Say what was done", status_code=400)
        self.client.post(
            url,
            {"title": self.fence.title, "status": "done", "completion_note": "New fence installed"},
        )
        self.fence.refresh_from_db()
        self.assertEqual(self.fence.status, "done")
        self.assertIsNotNone(self.fence.completed_at)
        self.client.post(
            url, {"title": self.fence.title, "status": "open", "completion_note": "Reopened"}
        )
        self.fence.refresh_from_db()
        self.assertIsNone(self.fence.completed_at)

    def test_the_owner_must_belong_to_the_company(self) -> None:
        self.login("user")
        response = self.client.post(
            self.fence.get_absolute_url(),
            {"title": "x", "status": "open", "owner": self.users["other"].pk},
        )
        self.assertEqual(response.status_code, 400)

    def test_evidence_files_are_checked(self) -> None:
        self.login("user")
        url = reverse("actions:action-evidence-upload", args=[self.company.pk, self.fence.pk])
        self.client.post(url, {"file": upload("photo.pdf", PDF_BYTES)})
        response = self.client.post(url, {"file": upload("virus.pdf", EXE_BYTES)}, follow=True)
        self.assertContains(response, "is a Windows program")
        self.assertEqual(
            list(ActionEvidence.objects.values_list("original_name", flat=True)), ["photo.pdf"]
        )

    def test_an_action_links_to_any_source(self) -> None:
        # Other apps (risk, partners, incidents) attach their own records the same way.
        action = CorrectiveAction.objects.create(
            company=self.company, title="From the company record", source=self.company
        )
        self.assertEqual(CorrectiveAction.objects.for_source(self.company).get(), action)
        self.assertEqual(action.source_url(), self.company.get_absolute_url())

    def test_another_company_s_action_answers_404(self) -> None:
        self.login("other")
        self.assertEqual(self.client.get(self.fence.get_absolute_url()).status_code, 404)
