"""A node's business partner is found by typing, not picked from a list of every partner."""

from __future__ import annotations

from django.urls import reverse

from companies.models import Company
from partners.models import BusinessPartner, normalise_name
from portal.testing import PersonaTestCase
from risk.models import Node
from risk.tests.factories import make_assessment, make_chain


def partners(company: Company, start: int, n: int) -> None:
    BusinessPartner.objects.bulk_create(
        BusinessPartner(
            company=company,
            name=f"Proveedor {i:04d}",
            normalised_name=normalise_name(f"Proveedor {i:04d}"),
            role="manufacturer",
            country="MX",
        )
        for i in range(start, start + n)
    )


class NodePartnerSearchTests(PersonaTestCase):
    def setUp(self) -> None:
        self.chain = make_chain(make_assessment(self.company))
        self.create_url = reverse("risk:node-create", args=[self.company.pk, self.chain.pk])
        self.lookup_url = reverse("partners:partner-lookup", args=[self.company.pk])
        self.login("officer")

    def test_the_form_lists_no_partner_and_costs_the_same_at_any_size(self) -> None:
        self.client.get(self.create_url)  # the session's first request writes once
        for n in (3, 300):
            partners(self.company, 1000 * n, n)
            with self.subTest(partners=n), self.assertNumQueries(7):
                response = self.client.get(self.create_url)
            self.assertNotContains(response, "Proveedor")
            self.assertContains(response, f'hx-get="{self.lookup_url}"')

    def test_the_lookup_answers_twenty_matches_of_the_company_only(self) -> None:
        partners(self.company, 0, 30)
        partners(self.other_company, 100, 5)
        found = self.client.get(self.lookup_url, {"q": "proveedor"}).content.decode()
        self.assertEqual(found.count("data-combo-pk="), 20)
        self.assertNotIn("Proveedor 0100", found)
        self.assertIn("Proveedor 0000 (MX)", found)
        self.assertNotIn("<li>", self.client.get(self.lookup_url).content.decode())

    def test_the_chosen_partner_is_saved_and_shown_again(self) -> None:
        mine = BusinessPartner.objects.get(name="Maquila Norte")
        partners(self.other_company, 0, 1)
        theirs = BusinessPartner.objects.get(company=self.other_company)
        data = {"name": "Gate 2", "kind": "transit", "country": "MX", "mode": "road", "order": 3}
        refused = self.client.post(self.create_url, {**data, "partner": theirs.pk})
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Select a valid choice")
        self.client.post(self.create_url, {**data, "partner": mine.pk})
        node = Node.objects.get(chain=self.chain, name="Gate 2")
        self.assertEqual(node.partner, mine)
        edit = reverse("risk:node-edit", args=[self.company.pk, self.chain.pk, node.pk])
        self.assertContains(self.client.get(edit), 'value="Maquila Norte (MX)"')
