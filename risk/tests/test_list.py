"""The risk assessment history as a list: FilterSet (shared with the API), sorting, CSV,
empty state, query count."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase
from risk.models import Assessment


class AssessmentHistoryListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "risk:assessment-list"
    filter_query = {"status": "completed"}
    empty_query = {"year": "1800"}
    sort = "year"

    def make_row(self, i: int, matching: bool) -> Any:
        return Assessment.objects.create(
            company=self.company,
            year=1990 + i,
            assessed_on=datetime.date(1990 + i, 3, 1),
            status="completed" if matching else "draft",
        )

    def label(self, row: Any) -> str:
        return str(row.year)

    def test_the_api_filters_with_the_same_names(self) -> None:
        inside, outside = self.make_row(0, True), self.make_row(1, False)
        answer = self.api_as("viewer").get(
            reverse("api:risk-assessment-list"), {"status": "completed", "company": self.company.pk}
        )
        ids = [row["id"] for row in answer.json()["results"]]
        self.assertEqual(ids, [inside.pk])
        self.assertNotIn(outside.pk, ids)
