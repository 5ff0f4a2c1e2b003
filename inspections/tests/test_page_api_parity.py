"""Recording an inspection once through the page and once through the API writes the same
rows and audit entries (both call `inspections.workflow.record_inspection`), including what
a seal unknown to the log opens (the discrepancy incident); a resend writes nothing more on
either side."""

from __future__ import annotations

import uuid

from django.urls import reverse

from incidents.models import Incident
from inspections.models import Inspection, InspectionResult
from inspections.tests.test_api import POINTS, api_payload
from inspections.tests.test_inspections import MediaMixin, form_data
from portal.testing import PersonaTestCase, written

TABLES = (Inspection, InspectionResult, Incident)


class InspectionParityTests(MediaMixin, PersonaTestCase):
    def test_an_inspection_writes_the_same_from_the_page_and_the_api(self) -> None:
        self.login("user")
        url = reverse("inspections:inspection-create", args=[self.company.pk, "container"])
        page_data = form_data()
        with written(*TABLES) as page:
            self.client.post(url, page_data)
        api = self.api_as("user")
        api_key = str(uuid.uuid4())
        with written(*TABLES) as by_api:
            answer = api.post(
                reverse("api:inspection-list"),
                api_payload(self.company.pk, client_key=api_key),
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["inspections.Inspection"], 1)
        self.assertEqual(page.rows["inspections.InspectionResult"], len(POINTS))
        self.assertEqual(page, by_api)
        with written(*TABLES) as page_again:
            self.client.post(url, page_data)
        with written(*TABLES) as api_again:
            again = api.post(
                reverse("api:inspection-list"),
                api_payload(self.company.pk, client_key=api_key),
                format="json",
            )
            self.assertEqual(again.status_code, 200, again.content)
        self.assertFalse(page_again)
        self.assertFalse(api_again)
