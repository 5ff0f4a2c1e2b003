"""The program office's case list (review queue): FilterSet, sorting, CSV, empty state,
query count."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from certification.choices import State
from certification.tests.factories import certification_in
from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase, make_company


class ReviewQueueListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "certification:certification-list"
    persona = "specialist"
    filter_query = {"status": State.UNDER_REVIEW}
    sort = "company"

    def list_args(self) -> list[Any]:
        return []

    def make_row(self, i: int, matching: bool) -> Any:
        company = make_company(f"Importadora {i:03d} SA")
        return certification_in(
            State.UNDER_REVIEW if matching else State.APPLIED,
            company,
            applied_at=timezone.now() - datetime.timedelta(days=10 + i),
        )

    def label(self, row: Any) -> str:
        return str(row.company.legal_name)

    def test_mine_shows_the_cases_assigned_to_me(self) -> None:
        mine = self.make_row(1, True)
        mine.assigned_to = self.users["specialist"]
        mine.save()
        theirs = self.make_row(2, True)
        page = self.page_text({"mine": "1"})
        self.assertIn(mine.company.legal_name, page)
        self.assertNotIn(theirs.company.legal_name, page)
