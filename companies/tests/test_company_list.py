"""The program office's list of every company (core.lists): search by name, DBA or
account number, filter by business type and country, sort, page, CSV of the filtered
companies, the empty state, a query count that does not grow; the same FilterSet serves
`/api/v1/companies/`."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from companies.models import Company
from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase, make_company


class EveryCompanyListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "companies:company-list"
    persona = "specialist"
    filter_query = {"q": "zeta rail"}
    sort = "legal_name"

    def list_args(self) -> list[Any]:
        return []

    def make_row(self, i: int, matching: bool) -> Company:
        name = f"Zeta Rail {i:02d} S.A." if matching else f"Omega Freight {i:02d} Inc."
        return make_company(name, business_type="rail_carrier" if matching else "importer")

    def label(self, row: Any) -> str:
        return str(row.legal_name)

    def test_the_account_number_finds_its_company(self) -> None:
        rows = [self.make_row(i, True) for i in range(3)]
        page = self.page_text({"q": rows[1].account_number.lower()})
        self.assertIn(rows[1].legal_name, page)
        self.assertNotIn(rows[0].legal_name, page)

    def test_business_type_narrows_page_and_api_alike(self) -> None:
        rail = self.make_row(0, True)
        other = self.make_row(1, False)
        page = self.page_text({"business_type": "rail_carrier"})
        self.assertIn(rail.legal_name, page)
        self.assertNotIn(other.legal_name, page)
        api = self.api_as("specialist").get(
            reverse("api:company-list"), {"business_type": "rail_carrier", "q": "zeta"}
        )
        names = [c["legal_name"] for c in api.json()["results"]]
        self.assertEqual(names, [rail.legal_name])

    def test_a_member_sees_only_their_own_companies(self) -> None:
        self.make_row(0, True)
        self.login("admin")
        page = self.client.get(reverse("companies:company-list"))
        self.assertNotContains(page, "Zeta Rail 00")
        self.assertNotContains(page, 'data-testid="all-companies"')
        self.assertContains(page, self.company.legal_name)
