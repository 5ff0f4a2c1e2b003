"""The global search: finds the company's records of each kind, never another company's,
in a fixed number of queries, and says so when the query is too long."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import CorrectiveAction
from core.testing import PersonaTestCase
from incidents.workflow import open_incident
from partners.models import BusinessPartner


class SearchTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        BusinessPartner.objects.create(
            company=self.company, name="Transportes Lobo SA", role="highway_carrier", country="MX"
        )
        BusinessPartner.objects.create(
            company=self.other_company, name="Lobo Logistics", role="highway_carrier", country="MX"
        )
        CorrectiveAction.objects.create(
            company=self.company, title="Repair the lobo gate lock", status="open",
            due_date=datetime.date(2020, 1, 1),
        )  # fmt: skip
        open_incident(
            self.company, kind="tampering", title="Lock cut", description="Seal of lobo trailer."
        )

    def url(self, q: str) -> str:
        return reverse("search", args=[self.company.pk]) + f"?q={q}"

    def test_finds_each_kind_of_the_company_only(self) -> None:
        self.login("viewer")
        page = self.client.get(self.url("lobo"))
        self.assertContains(page, "Transportes Lobo SA")
        self.assertContains(page, "Repair the lobo gate lock")
        self.assertContains(page, "Lock cut")
        self.assertNotContains(page, "Lobo Logistics")

    def test_every_word_must_match(self) -> None:
        self.login("viewer")
        page = self.client.get(self.url("lobo transportes"))
        self.assertContains(page, "Transportes Lobo SA")
        self.assertNotContains(page, "Repair the lobo gate lock")

    def test_another_company_answers_404(self) -> None:
        self.login("viewer")
        url = reverse("search", args=[self.other_company.pk]) + "?q=lobo"
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_nothing_found_and_too_long_are_said(self) -> None:
        self.login("viewer")
        self.assertContains(self.client.get(self.url("zzzz")), "Nothing found for")
        self.assertContains(self.client.get(self.url("x" * 101)), "type at most 100 characters")

    def test_the_query_count_does_not_grow_with_hits(self) -> None:
        self.login("viewer")
        self.client.get(self.url("lobo"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url("lobo"))
        for i in range(30):
            BusinessPartner.objects.create(
                company=self.company, name=f"Lobo {i}", role="highway_carrier", country="MX"
            )
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(self.url("lobo"))
        self.assertContains(page, "More found")
        self.assertEqual(len(few), len(many))
