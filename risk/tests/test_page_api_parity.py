"""Starting a risk assessment once through the page and once through the API writes the
same rows: both copy the latest earlier year's supply chains, nodes and method
(`risk.workflow.start_assessment`; the API used to create an empty one)."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from core.testing import PersonaTestCase, written
from risk.models import Assessment, Node, SupplyChain
from risk.tests.factories import make_assessment, make_chain

TABLES = (Assessment, SupplyChain, Node)


@time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC), tick=False)
class StartParityTests(PersonaTestCase):
    def test_the_page_and_the_api_both_start_from_last_year(self) -> None:
        make_chain(make_assessment(self.company, 2025, method="Our method, 2025"))
        api = self.api_as("user")
        self.login("user")
        with written(*TABLES) as page:
            self.client.post(reverse("risk:assessment-start", args=[self.company.pk]))
        with written(*TABLES) as by_api:
            answer = api.post(
                reverse("api:risk-assessment-list"),
                {"company": self.company.pk, "year": 2027, "assessed_on": "2026-04-01"},
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["risk.Assessment"], 1)
        self.assertEqual(page.rows["risk.SupplyChain"], 1)
        self.assertEqual(page.rows, by_api.rows)
        methods = dict(Assessment.objects.values_list("year", "method"))
        self.assertEqual(methods, {y: "Our method, 2025" for y in (2025, 2026, 2027)})
        self.assertEqual(Assessment.objects.get(year=2027).copied_from.year, 2026)  # type: ignore[union-attr]
