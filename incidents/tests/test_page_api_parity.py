"""Reporting an incident and raising a corrective action from it, once through the page and
once through the API, write the same rows and audit entries (both call
`incidents.workflow.open_incident` / `raise_action`); a closed incident refuses an action on
both sides with the same refusal."""

from __future__ import annotations

import uuid

from django.urls import reverse

from actions.models import CorrectiveAction
from incidents.models import Incident, Notification
from incidents.workflow import open_incident
from portal.testing import PersonaTestCase, written

TABLES = (Incident, Notification, CorrectiveAction)
REPORT = {"kind": "tampering", "description": "Found at the 06:00 yard round."}


class IncidentParityTests(PersonaTestCase):
    def test_a_report_writes_the_same_rows_from_the_page_and_the_api(self) -> None:
        self.login("user")
        with written(*TABLES) as page:
            self.client.post(
                reverse("incidents:incident-create", args=[self.company.pk]),
                {
                    **REPORT,
                    "title": "Cut padlock (page)",
                    "occurred_at": "2026-03-02T06:00",
                    "submission_key": str(uuid.uuid4()),
                },
            )
        with written(*TABLES) as api:
            answer = self.api_as("user").post(
                reverse("api:incident-list"),
                {
                    **REPORT,
                    "company": self.company.pk,
                    "title": "Cut padlock (API)",
                    "occurred_at": "2026-03-02T06:00:00Z",
                },
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["incidents.Incident"], 1)
        self.assertGreater(page.rows["incidents.Notification"], 0)
        self.assertEqual(page, api)
        reporters = set(Incident.objects.values_list("reporter__email", flat=True))
        self.assertEqual(reporters, {"user@acme.test"})

    def test_an_action_writes_the_same_and_a_closed_incident_refuses_it_on_both_sides(
        self,
    ) -> None:
        # One incident for each side: the first action moves an open incident on.
        incident = open_incident(self.company, kind="tampering", title="X", description="Y")
        other = open_incident(self.company, kind="tampering", title="Z", description="Y")
        action = {
            "title": "Fit a high-security padlock",
            "criterion_ref": "5.4",
            "owner": self.users["admin"].pk,
            "due_date": "2026-05-01",
        }
        self.login("user")
        page_url = reverse("incidents:incident-action-create", args=[self.company.pk, incident.pk])
        with written(*TABLES) as page:
            self.client.post(page_url, {**action, "submission_key": str(uuid.uuid4())})
        with written(*TABLES) as api:
            answer = self.api_as("user").post(
                reverse("api:incident-actions", args=[other.pk]), action, format="json"
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["actions.CorrectiveAction"], 1)
        self.assertEqual(page, api)

        Incident.objects.filter(pk=incident.pk).update(status="closed")
        with written(*TABLES) as page:
            shown = self.client.post(page_url, {**action, "submission_key": str(uuid.uuid4())})
        self.assertContains(shown, "reopen it", status_code=400)
        with written(*TABLES) as api:
            answer = self.api_as("user").post(
                reverse("api:incident-actions", args=[incident.pk]), action, format="json"
            )
        self.assertEqual(answer.status_code, 409)
        self.assertEqual(answer.json()["code"], "incident_closed")
        self.assertFalse(page)
        self.assertFalse(api)
