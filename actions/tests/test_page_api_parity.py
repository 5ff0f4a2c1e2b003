"""Adding and editing a corrective action once through the page and once through the API
write the same rows and audit entries (both call `actions.workflow.save_action`), and both
record who raised a new action. Evidence has no API: its page calls
`actions.workflow.add_evidence`."""

from __future__ import annotations

import uuid

from django.urls import reverse

from actions.models import ActionEvidence, CorrectiveAction
from portal.testing import PersonaTestCase, written

TABLES = (CorrectiveAction, ActionEvidence)


class ActionParityTests(PersonaTestCase):
    def action(self, **fields: object) -> dict[str, object]:
        return {
            "title": "Fit a high-security padlock",
            "criterion_ref": "5.4",
            "owner": self.users["admin"].pk,
            "due_date": "2026-05-01",
            "status": "open",
            **fields,
        }

    def test_adding_an_action_writes_the_same_from_the_page_and_the_api(self) -> None:
        self.login("user")
        with written(*TABLES) as page:
            self.client.post(
                reverse("actions:action-list", args=[self.company.pk]),
                {**self.action(title="Padlock (page)"), "submission_key": str(uuid.uuid4())},
            )
        with written(*TABLES) as api:
            answer = self.api_as("user").post(
                reverse("api:correctiveaction-list"),
                {**self.action(title="Padlock (API)"), "company": self.company.pk},
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["actions.CorrectiveAction"], 1)
        self.assertEqual(page, api)
        raised_by = set(CorrectiveAction.objects.values_list("created_by__email", flat=True))
        self.assertEqual(raised_by, {"user@acme.test"})

    def test_closing_an_action_writes_the_same_and_both_sides_refuse_a_close_without_a_note(
        self,
    ) -> None:
        on_page = CorrectiveAction.objects.create(company=self.company, title="Page one")
        by_api = CorrectiveAction.objects.create(company=self.company, title="API one")
        self.login("user")
        page_url = reverse("actions:action-detail", args=[self.company.pk, on_page.pk])
        api_url = reverse("api:correctiveaction-detail", args=[by_api.pk])
        with written(*TABLES) as page:
            refused = self.client.post(page_url, self.action(title="Page one", status="done"))
        with written(*TABLES) as api:
            answer = self.api_as("user").patch(api_url, {"status": "done"}, format="json")
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(answer.status_code, 400)
        self.assertIn("completion_note", answer.json())
        self.assertFalse(page)
        self.assertFalse(api)

        closed = {"status": "done", "completion_note": "Padlock fitted on all gates."}
        with written(*TABLES) as page:
            self.client.post(page_url, self.action(title="Page one", **closed))
        with written(*TABLES) as api:
            answer = self.api_as("user").patch(api_url, closed, format="json")
            self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(page.audit, {"actions.correctiveaction:update": 1})
        self.assertEqual(page, api)
        stamped = CorrectiveAction.objects.filter(completed_at__isnull=False).count()
        self.assertEqual(stamped, 2)
