"""The sharing page's shares as one list: FilterSet (shared with the API), sorting, CSV,
empty state, query count; "given" and "received" are seen from the company in the
address."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase, make_company
from sharing.models import Share


class ShareListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "sharing:share-list"
    filter_query = {"direction": "received"}
    empty_query = {"party": "zz-no-such-company-zz"}
    sort = "created_at"

    def make_row(self, i: int, matching: bool) -> Any:
        other = make_company(f"Firm {chr(65 + i)}{chr(65 + i)}k")
        share = Share.objects.create(
            requester=self.company if matching else other,
            sharer=other if matching else self.company,
            requested_by=self.users["user"],
        )
        share.label = other.legal_name  # type: ignore[attr-defined]
        return share

    def label(self, row: Any) -> str:
        return str(row.label)

    def test_given_and_received_are_seen_from_the_company_in_the_address(self) -> None:
        asked_of_us = self.make_row(0, False)
        asked_by_us = self.make_row(1, True)
        given = self.page_text({"direction": "given"})
        self.assertIn(self.label(asked_of_us), given)
        self.assertNotIn(self.label(asked_by_us), given)
        api = self.api_as("admin").get(reverse("api:share-list"), {"direction": "received"})
        self.assertEqual([r["id"] for r in api.json()["results"]], [asked_by_us.pk])
