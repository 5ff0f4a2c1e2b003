"""The course and session lists: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

import datetime
from typing import Any

from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase
from training.tests import factories as f


class CourseListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "training:course-list"
    filter_query = {"active": "true"}
    sort = "title"

    def make_row(self, i: int, matching: bool) -> Any:
        return f.course(
            self.company, f"course_{i:03d}", title_en=f"Course number {i:03d}", active=matching
        )

    def label(self, row: Any) -> str:
        return str(row.title_en)


class SessionListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "training:session-list"
    sort = "held_on"

    def setUp(self) -> None:
        super().setUp()
        self.seals = f.course(self.company, "seal_check")
        self.threats = f.course(self.company, "threat_awareness")
        self.filter_query = {"course": str(self.seals.pk)}

    def make_row(self, i: int, matching: bool) -> Any:
        return f.session(
            self.seals if matching else self.threats,
            datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            trainer=f"Trainer {i:03d}",
        )

    def label(self, row: Any) -> str:
        return f"Trainer {row.trainer[-3:]}"
