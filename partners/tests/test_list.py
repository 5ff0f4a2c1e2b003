"""The partner directory as a list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.listchecks import ListPageChecks
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase


class PartnerListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "partners:partner-list"
    filter_query = {"country": "MX"}
    sort = "name"

    def make_row(self, i: int, matching: bool) -> Any:
        return BusinessPartner.objects.create(
            company=self.company,
            name=f"Proveedor {i:03d}",
            role="manufacturer",
            country="MX" if matching else "CA",
        )

    def label(self, row: Any) -> str:
        return str(row.name)

    def test_the_api_takes_the_same_filter(self) -> None:
        mx = self.make_row(1, True)
        ca = self.make_row(2, False)
        self.login("admin")
        answer = self.client.get(reverse("api:partner-list"), {"country": "MX"}).json()
        names = [p["name"] for p in answer["results"]]
        self.assertIn(mx.name, names)
        self.assertNotIn(ca.name, names)

    def test_the_export_address_holds_the_filtered_rows(self) -> None:
        mx = self.make_row(1, True)
        ca = self.make_row(2, False)
        self.login("admin")
        url = reverse("partners:partner-export", args=[self.company.pk])
        response: Any = self.client.get(url, {"country": "MX"})
        text = b"".join(response.streaming_content).decode()
        self.assertIn(mx.name, text)
        self.assertNotIn(ca.name, text)
