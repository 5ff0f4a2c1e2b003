"""Corrective actions raised from an incident's investigation, and closing the incident."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.urls import reverse

from actions.models import CorrectiveAction
from incidents.models import Incident
from incidents.workflow import IncidentClosed, open_incident, raise_action
from portal.testing import PersonaTestCase


class IncidentActionTests(PersonaTestCase):
    def setUp(self) -> None:
        self.incident = open_incident(
            self.company,
            kind="seal_discrepancy",
            title="Seal MX0000001: discrepancy",
            description="Seal number does not match the bill of lading.",
        )

    def detail(self) -> str:
        return self.incident.get_absolute_url()

    def action_url(self) -> str:
        return reverse("incidents:incident-action-create", args=[self.company.pk, self.incident.pk])

    def edit_url(self) -> str:
        return reverse("incidents:incident-edit", args=[self.company.pk, self.incident.pk])

    def post_action(self, **extra: object) -> Any:
        data: dict[str, object] = {
            "title": "Retrain dock staff on VVTT",
            "description": "Two loads left without the twist step.",
            "criterion_ref": "6.7",
            "owner": self.users["admin"].pk,
            "due_date": "2026-04-30",
            "submission_key": str(uuid.uuid4()),
        }
        data.update(extra)
        return self.client.post(self.action_url(), data)

    def test_an_action_raised_from_the_incident_is_listed_with_its_status(self) -> None:
        self.login("user")
        response = self.client.get(self.detail())
        self.assertContains(response, 'value="6.1"')  # criterion suggested for the kind
        self.assertRedirects(self.post_action(), self.detail())
        action = CorrectiveAction.objects.get()
        self.assertEqual(action.source, self.incident)
        self.assertEqual(
            (action.company, action.criterion_ref, action.owner, action.due_date),
            (self.company, "6.7", self.users["admin"], datetime.date(2026, 4, 30)),
        )
        self.assertEqual(action.created_by, self.users["user"])
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.status, "investigating")
        self.login("viewer")
        response = self.client.get(self.detail())
        table = response.content.decode().split('data-testid="incident-actions"')[1]
        self.assertIn("Retrain dock staff on VVTT", table)
        self.assertIn("admin@acme.test", table)
        self.assertIn("Open", table)
        self.assertNotContains(response, 'data-testid="action-form"')

    def test_a_retried_post_raises_one_action(self) -> None:
        self.login("user")
        key = str(uuid.uuid4())
        self.post_action(submission_key=key)
        self.post_action(submission_key=key)
        self.assertEqual(CorrectiveAction.objects.count(), 1)

    def test_errors_name_the_field(self) -> None:
        self.login("user")
        response = self.client.post(
            self.action_url(),
            {"title": "", "criterion_ref": "six", "owner": self.users["other"].pk},
        )
        self.assertEqual(response.status_code, 400)
        form = response.context["action_form"]
        self.assertEqual(set(form.errors), {"title", "criterion_ref", "owner", "due_date"})
        self.assertContains(response, "e.g. 6.1 or 7.23", status_code=400)
        self.assertFalse(CorrectiveAction.objects.exists())

    def test_closing_is_refused_while_an_action_is_open(self) -> None:
        action = raise_action(
            self.incident,
            by=self.users["user"],
            title="Retrain dock staff on VVTT",
            owner=self.users["admin"],
            due_date=datetime.date(2026, 4, 30),
        )
        self.login("user")
        closing = {"status": "closed", "root_cause": "Step skipped", "lessons_learned": "VVTT"}
        response = self.client.post(self.edit_url(), closing)
        self.assertContains(response, "“Retrain dock staff on VVTT” is still open")
        self.assertEqual(Incident.objects.get().status, "investigating")
        self.assertContains(self.client.get(self.edit_url()), 'data-testid="open-actions"')

        action.status = "done"
        action.completion_note = "All dock staff retrained on 2026-04-10."
        action.save()
        self.assertRedirects(self.client.post(self.edit_url(), closing), self.detail())
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.status, "closed")
        self.assertEqual(self.incident.lessons_learned, "VVTT")

        # Once closed it takes no new actions, but its lessons stay editable even if an
        # action is reopened later.
        with self.assertRaisesRegex(IncidentClosed, "reopen it"):
            raise_action(
                self.incident,
                by=self.users["user"],
                title="Another",
                owner=self.users["admin"],
                due_date=datetime.date(2026, 5, 30),
            )
        action.status = "in_progress"
        action.save()
        closing["lessons_learned"] = "Twist step is skipped under time pressure."
        self.assertRedirects(self.client.post(self.edit_url(), closing), self.detail())
        self.assertEqual(
            Incident.objects.get().lessons_learned, "Twist step is skipped under time pressure."
        )

    def test_a_cancelled_action_lets_the_incident_close(self) -> None:
        action = raise_action(
            self.incident,
            by=self.users["user"],
            title="Buy a second seal reader",
            owner=self.users["admin"],
            due_date=datetime.date(2026, 4, 30),
        )
        action.status = "cancelled"
        action.completion_note = "The reader was found; not needed."
        action.save()
        self.incident.status = "closed"
        self.incident.root_cause = "Reader misplaced"
        self.incident.full_clean()
        self.incident.save()
        self.assertIsNotNone(self.incident.closed_at)

    def test_another_companys_actions_are_not_shown(self) -> None:
        other = open_incident(self.other_company, kind="other", title="X", description="Y")
        raise_action(
            other,
            by=self.users["other"],
            title="Norte's own fix",
            owner=self.users["other"],
            due_date=datetime.date(2026, 4, 30),
        )
        self.login("admin")
        self.assertNotContains(self.client.get(self.detail()), "Norte's own fix")
