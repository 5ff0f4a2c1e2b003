"""The audit trail as a list (core.lists): filter by person, record, action and day; sort;
CSV of the filtered entries; the empty state; a query count that does not grow."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from companies.models import Address
from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase


class AuditTrailListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "companies:audit-log"
    filter_query = {"action": "2"}
    sort = "record"

    def make_row(self, i: int, matching: bool) -> Any:
        return LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Address),
            object_pk=str(i),
            object_repr=f"Dock {i:03d}",
            action=LogEntry.Action.DELETE if matching else LogEntry.Action.CREATE,
            changes={},
            actor=self.users["admin"],
            additional_data={"company_id": self.company.pk},
        )

    def label(self, row: Any) -> str:
        return str(row.object_repr)

    def test_another_companys_entries_stay_out_of_the_csv(self) -> None:
        mine = self.make_row(0, True)
        theirs = self.make_row(1, True)
        theirs.additional_data = {"company_id": self.other_company.pk}
        theirs.save()
        response = self.get_list({"export": "csv"})
        body = b"".join(response.streaming_content).decode()
        self.assertIn(mine.object_repr, body)
        self.assertNotIn(theirs.object_repr, body)
