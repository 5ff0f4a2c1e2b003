"""Starting a risk assessment once through the page and once through the API writes the
same rows: both copy the latest earlier year's supply chains, nodes and method
(`risk.workflow.start_assessment`; the API used to create an empty one)."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from portal.testing import PersonaTestCase, written
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


class RemoveParityTests(PersonaTestCase):
    """Removing a supply chain or a node: the page's buttons and `DELETE` on the API both go
    through `risk.workflow.remove_chain` / `remove_node`, and a completed assessment refuses
    both the same way."""

    def setUp(self) -> None:
        self.assessment = make_assessment(self.company, 2026)
        self.on_page = make_chain(self.assessment, "Monterrey to Dallas")
        self.by_api = make_chain(self.assessment, "Laredo to Chicago")

    def remove_on_page(self, chain: SupplyChain, node: Node | None = None) -> object:
        self.login("user")
        if node is None:
            url = reverse("risk:chain-delete", args=[self.company.pk, chain.pk])
        else:
            url = reverse("risk:node-delete", args=[self.company.pk, chain.pk, node.pk])
        return self.client.post(url, follow=True)

    def remove_by_api(self, chain: SupplyChain, node: Node | None = None) -> object:
        if node is None:
            url = reverse("api:supply-chain-detail", args=[chain.pk])
        else:
            url = reverse("api:supply-chain-node-detail", args=[node.pk])
        return self.api_as("user").delete(url)

    def test_a_node_and_a_chain_go_the_same_way_from_the_page_and_the_api(self) -> None:
        with written(*TABLES) as page:
            self.remove_on_page(self.on_page, self.on_page.nodes.first())
        with written(*TABLES) as api:
            answer = self.remove_by_api(self.by_api, self.by_api.nodes.first())
            self.assertEqual(answer.status_code, 204)  # type: ignore[attr-defined]
        self.assertEqual(page.rows["risk.Node"], -1)
        self.assertEqual(page, api)
        with written(*TABLES) as page:
            self.remove_on_page(self.on_page)
        with written(*TABLES) as api:
            answer = self.remove_by_api(self.by_api)
            self.assertEqual(answer.status_code, 204)  # type: ignore[attr-defined]
        self.assertEqual(page.rows["risk.SupplyChain"], -1)
        self.assertEqual(page, api)

    def test_a_completed_assessment_refuses_both(self) -> None:
        Assessment.objects.filter(pk=self.assessment.pk).update(status="completed")
        with written(*TABLES) as page:
            shown = self.remove_on_page(self.on_page)
        self.assertContains(shown, "completed")  # type: ignore[arg-type]
        with written(*TABLES) as api:
            answer = self.remove_by_api(self.by_api)
        self.assertEqual(answer.status_code, 409)  # type: ignore[attr-defined]
        self.assertEqual(answer.json()["code"], "assessment_completed")  # type: ignore[attr-defined]
        self.assertFalse(page)
        self.assertFalse(api)
