"""The seal API: the log with filters, and recording a VVTT check or the verification at
destination, with discrepancies opening an incident as on the page."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from incidents.models import Incident
from seals import workflow
from seals.models import Seal, SealEvent
from seals.tests.test_seals import ALL, SealTestCase


class SealApiTests(SealTestCase):
    client_class = APIClient

    def setUp(self) -> None:
        self.receive(1, 3)
        workflow.affix(self.seal(), iit_number="MSCU1234565", vvtt=ALL, by=self.users["user"])

    def verify(self, seal: Seal | None = None, **extra: Any) -> Any:
        data: dict[str, Any] = {
            "observed_number": "MX0000001",
            "document_number": "MX0000001",
            "vvtt_view": True,
            "vvtt_verify": True,
            "vvtt_tug": True,
            "vvtt_twist": True,
            "at_destination": True,
        }
        headers = {}
        if "key" in extra:
            headers["HTTP_IDEMPOTENCY_KEY"] = extra.pop("key")
        data.update(extra)
        url = reverse("api:seal-verify", args=[(seal or self.seal()).pk])
        return self.client.post(url, data, format="json", **headers)

    def test_a_matching_verification_at_destination(self) -> None:
        self.login("user")
        response = self.verify()
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["seal"]["status"], body["discrepancy"]), ("verified", False))
        self.assertEqual(body["event"]["kind"], "verified")
        self.assertFalse(Incident.objects.exists())

    def test_a_wrong_number_is_a_discrepancy_with_an_incident(self) -> None:
        self.login("user")
        body = self.verify(observed_number="MX0000999", at_destination=False).json()
        incident = Incident.objects.get()
        self.assertEqual((body["discrepancy"], body["incident"]), (True, incident.pk))
        self.assertEqual(body["seal"]["status"], "discrepancy")
        self.assertEqual(incident.seal, self.seal())

    def test_a_retried_check_is_logged_once(self) -> None:
        self.login("user")
        key = str(uuid.uuid4())
        first = self.verify(at_destination=False, key=key)
        again = self.verify(at_destination=False, key=key)
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(first.json(), again.json())
        self.assertEqual(SealEvent.objects.filter(kind="handover").count(), 1)
        self.assertEqual(self.verify(key="not-a-uuid").status_code, 400)

    def test_a_seal_not_affixed_cannot_be_verified(self) -> None:
        self.login("user")
        response = self.verify(self.seal("MX0000002"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("in stock", str(response.json()))

    def test_the_log_is_filtered_and_read_with_its_history(self) -> None:
        self.login("viewer")
        url = reverse("api:seal-list")

        def numbers(**params: Any) -> list[str]:
            return [s["number"] for s in self.client.get(url, params).json()["results"]]

        self.assertEqual(numbers(), ["MX0000001", "MX0000002", "MX0000003"])
        self.assertEqual(numbers(status="affixed"), ["MX0000001"])
        self.assertEqual(numbers(iit_number="mscu1234565"), ["MX0000001"])
        self.assertEqual(numbers(date_from="2000-01-01", date_to="2000-12-31"), [])
        detail = self.client.get(reverse("api:seal-detail", args=[self.seal().pk])).json()
        self.assertEqual([e["kind"] for e in detail["events"]], ["received", "affixed"])

    def test_seals_are_not_created_or_deleted_through_the_api(self) -> None:
        self.login("officer")
        created = self.client.post(reverse("api:seal-list"), {"number": "X"}, format="json")
        self.assertEqual(created.status_code, 405)
        self.assertEqual(
            self.client.delete(reverse("api:seal-detail", args=[self.seal().pk])).status_code, 405
        )
        self.assertEqual(Seal.objects.count(), 3)
