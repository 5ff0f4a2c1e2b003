"""API lists filter by the user's company ids as values (`TenantQuerySet.for_user_listing`),
so the per-company indexes serve the page; the rows are exactly those `for_user` allows."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import Company
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase


def partner(company: Company, name: str) -> BusinessPartner:
    return BusinessPartner.objects.create(
        company=company,
        name=name,
        normalised_name=name.lower(),
        role="carrier",
        country="MX",
        computed_tier="low",
        tier="low",
    )


class ApiListScopeTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        partner(cls.company, "Acme Carrier")
        partner(cls.other_company, "Norte Carrier")
        partner(cls.third_company, "Maple Carrier")

    def names(self, persona: str, query: str = "") -> tuple[list[str], str]:
        """The partner names the API lists for `persona`, and the SQL of the list query."""
        with CaptureQueriesContext(connection) as queries:
            response = self.api_as(persona).get(f"/api/v1/partners/{query}")
        self.assertEqual(response.status_code, 200, response.content)
        body: Any = response.json()
        listing = [q["sql"] for q in queries if "partners_businesspartner" in q["sql"]][-1]
        return sorted(p["name"] for p in body["results"]), listing

    def test_one_company_is_filtered_by_its_id(self) -> None:
        names, sql = self.names("admin")
        self.assertEqual(names, ["Acme Carrier"])
        self.assertIn(f'"company_id" = {self.company.pk}', sql.replace("%s", "?"))
        self.assertNotIn("companies_membership", sql)

    def test_several_companies_are_listed_by_their_ids_and_a_named_one_alone(self) -> None:
        names, sql = self.names("consultant")
        self.assertEqual(names, ["Acme Carrier", "Maple Carrier"])
        self.assertNotIn("companies_membership", sql)
        names, sql = self.names("consultant", f"?company={self.third_company.pk}")
        self.assertEqual(names, ["Maple Carrier"])
        self.assertIn(f'"company_id" = {self.third_company.pk}', sql)

    def test_another_companys_rows_stay_out(self) -> None:
        self.assertEqual(self.names("other")[0], ["Norte Carrier"])
        response = self.api_as("admin").get(f"/api/v1/partners/?company={self.other_company.pk}")
        self.assertEqual(response.status_code, 400)  # as for an id that does not exist

    def test_program_office_reads_every_company(self) -> None:
        names, _sql = self.names("specialist")
        self.assertEqual(names, ["Acme Carrier", "Maple Carrier", "Norte Carrier"])
