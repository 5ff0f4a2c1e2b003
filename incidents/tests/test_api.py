"""The incident API: reporting with the notification checklist, retries, links to the
company's own seals and inspections, filters and the corrective actions on the detail."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from incidents.models import Incident
from incidents.workflow import open_incident, raise_action
from portal.testing import PersonaTestCase
from seals.models import Seal


class IncidentApiTests(PersonaTestCase):
    client_class = APIClient

    def payload(self, **extra: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "company": self.company.pk,
            "kind": "tampering",
            "title": "Cut padlock on trailer 53",
            "description": "Found at the 06:00 yard round.",
            "occurred_at": "2026-03-02T06:00:00Z",
            "location": "TGHU7654321",
        }
        data.update(extra)
        return data

    def post(self, data: dict[str, Any], **headers: Any) -> Any:
        return self.client.post(reverse("api:incident-list"), data, format="json", **headers)

    def test_reporting_opens_the_notification_checklist(self) -> None:
        self.login("user")
        response = self.post(self.payload())
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["status"], "open")
        self.assertEqual(len(body["notifications"]), 4)
        incident = Incident.objects.get()
        self.assertEqual((incident.reporter, incident.anonymous), (self.users["user"], False))
        self.assertEqual(response["Location"], reverse("api:incident-detail", args=[incident.pk]))

    def test_the_reporter_cannot_set_the_status_or_anonymity(self) -> None:
        self.login("user")
        body = self.post(self.payload(status="closed", anonymous=True)).json()
        self.assertEqual((body["status"], body["anonymous"]), ("open", False))

    def test_a_retry_with_the_same_key_reports_once(self) -> None:
        self.login("user")
        key = str(uuid.uuid4())
        first = self.post(self.payload(), HTTP_IDEMPOTENCY_KEY=key)
        again = self.post(self.payload(), HTTP_IDEMPOTENCY_KEY=key)
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(first.json(), again.json())
        self.assertEqual(Incident.objects.count(), 1)

    def test_errors_name_the_field(self) -> None:
        self.login("user")
        response = self.post(self.payload(kind="meteor", title=""))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"kind", "title"})
        self.assertFalse(Incident.objects.exists())

    def test_a_seal_must_be_the_companys_own(self) -> None:
        theirs = Seal.objects.create(
            company=self.other_company,
            number="NX1",
            manufacturer="T",
            certificate_ref="C",
            storage_location="S",
        )
        ours = Seal.objects.create(
            company=self.company,
            number="MX1",
            manufacturer="T",
            certificate_ref="C",
            storage_location="S",
        )
        self.login("consultant")  # works for two companies
        self.assertEqual(self.post(self.payload(seal=theirs.pk)).status_code, 400)
        third = Seal.objects.create(
            company=self.third_company,
            number="TX1",
            manufacturer="T",
            certificate_ref="C",
            storage_location="S",
        )
        mixed = self.post(self.payload(seal=third.pk))
        self.assertEqual(mixed.status_code, 400)
        self.assertIn("seal", mixed.json())
        self.assertEqual(self.post(self.payload(seal=ours.pk)).status_code, 201)

    def test_detail_lists_the_corrective_actions(self) -> None:
        incident = open_incident(self.company, kind="other", title="X", description="Y")
        raise_action(
            incident,
            by=self.users["user"],
            title="Fit a CCTV camera at gate 2",
            criterion_ref="9.8",
            owner=self.users["admin"],
            due_date=datetime.date(2026, 5, 1),
        )
        self.login("specialist")
        body = self.client.get(reverse("api:incident-detail", args=[incident.pk])).json()
        (action,) = body["corrective_actions"]
        self.assertEqual(
            (action["title"], action["criterion_ref"], action["status"]),
            ("Fit a CCTV camera at gate 2", "9.8", "open"),
        )
        self.assertEqual(body["status"], "investigating")

    def test_filters(self) -> None:
        self.login("user")
        self.post(self.payload())
        self.post(
            self.payload(
                kind="cyber", title="Phishing", location="", occurred_at="2026-04-01T09:00:00Z"
            )
        )
        open_incident(self.other_company, kind="cyber", title="Norte phishing", description="x")

        def titles(**params: Any) -> list[str]:
            body = self.client.get(reverse("api:incident-list"), params).json()
            return sorted(i["title"] for i in body["results"])

        self.assertEqual(titles(), ["Cut padlock on trailer 53", "Phishing"])
        self.assertEqual(titles(kind="cyber"), ["Phishing"])
        self.assertEqual(titles(status="open"), ["Cut padlock on trailer 53", "Phishing"])
        self.assertEqual(titles(iit_number="tghu7654321"), ["Cut padlock on trailer 53"])
        self.assertEqual(titles(date_from="2026-03-15"), ["Phishing"])
        self.assertEqual(titles(date_to="2026-03-02"), ["Cut padlock on trailer 53"])

    def test_a_corrective_action_is_raised_from_the_incident(self) -> None:
        incident = open_incident(self.company, kind="tampering", title="X", description="Y")
        url = reverse("api:incident-actions", args=[incident.pk])
        self.login("user")
        data = {"title": "Fit a high-security padlock", "owner": self.users["admin"].pk}
        missing = self.client.post(url, {**data, "criterion_ref": "five"}, format="json")
        self.assertEqual(set(missing.json()), {"criterion_ref", "due_date"})
        stranger = self.client.post(
            url, {**data, "owner": self.users["other"].pk, "due_date": "2026-05-01"}, format="json"
        )
        self.assertIn("owner", stranger.json())
        response = self.client.post(
            url, {**data, "criterion_ref": "5.4", "due_date": "2026-05-01"}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["criterion_ref"], "5.4")
        (action,) = incident.corrective_actions()
        self.assertEqual(
            (action.owner, action.created_by), (self.users["admin"], self.users["user"])
        )
        incident.status = "closed"
        incident.root_cause = "Cheap padlock"
        incident.save()
        closed = self.client.post(
            url, {**data, "criterion_ref": "5.4", "due_date": "2026-05-01"}, format="json"
        )
        self.assertEqual(closed.status_code, 409)
        self.assertEqual(closed.json()["code"], "incident_closed")
        self.assertIn("reopen it", closed.json()["detail"])
