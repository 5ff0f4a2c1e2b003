"""The inspection log as a list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from core.listchecks import ListPageChecks
from inspections.models import Inspection
from portal.testing import PersonaTestCase


class InspectionListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "inspections:inspection-list"
    filter_query = {"direction": "outbound"}
    sort = "iit_number"

    def make_row(self, i: int, matching: bool) -> Any:
        return Inspection.objects.create(
            company=self.company,
            checklist_key="container",
            checklist_name="Container",
            iit_number=f"MSCU{i:07d}",
            direction="outbound" if matching else "inbound",
            performed_at=timezone.now() - datetime.timedelta(hours=i),
            inspector=self.users["user"],
            pest_checked=True,
        )

    def label(self, row: Any) -> str:
        return str(row.iit_number)

    def test_the_result_filter_uses_the_api_values(self) -> None:
        signed = self.make_row(1, True)
        signed.signed_off_at = timezone.now()
        signed.save()
        unsigned = self.make_row(2, True)
        page = self.page_text({"status": "unsigned"})
        self.assertIn(unsigned.iit_number, page)
        self.assertNotIn(signed.iit_number, page)

    def test_a_bad_filter_value_is_named_not_a_500(self) -> None:
        page = self.page_text({"status": "bogus", "date_from": "not-a-date"})
        self.assertIn("is not one of the allowed values", page)
        self.assertIn("Enter a valid date", page)
