"""The gate log as a list: FilterSet (shared with the read-only API), sorting, CSV, empty
state, pages without a COUNT; the entry form keeps working above it."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.listchecks import ListPageChecks
from inspections.models import GateEntry
from portal.testing import PersonaTestCase


class GateLogListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "inspections:gate-list"
    filter_query = {"direction": "out"}
    sort = "driver_name"

    def make_row(self, i: int, matching: bool) -> Any:
        return GateEntry.objects.create(
            company=self.company,
            direction="out" if matching else "in",
            at=timezone.now() - datetime.timedelta(hours=i),
            driver_name=f"Driver {chr(65 + i)}{chr(65 + i)}q",
            tractor_plate=f"TP{i:03d}",
            recorded_by=self.users["user"],
        )

    def label(self, row: Any) -> str:
        return str(row.driver_name)

    def test_the_filter_form_and_the_entry_form_have_ids_of_their_own(self) -> None:
        page = self.page_text()
        self.assertIn('id="filter_direction"', page)
        self.assertIn('id="id_direction"', page)

    def test_the_api_filters_with_the_same_names(self) -> None:
        inside, outside = self.make_row(0, True), self.make_row(1, False)
        answer = self.api_as("viewer").get(
            reverse("api:gate-entry-list"), {"direction": "out", "q": "driver"}
        )
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual([r["id"] for r in answer.json()["results"]], [inside.pk])
        self.assertNotEqual(inside.pk, outside.pk)
