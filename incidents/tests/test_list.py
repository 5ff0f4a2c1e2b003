"""The incident list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

from typing import Any

from core.listchecks import ListPageChecks
from incidents.workflow import open_incident
from portal.testing import PersonaTestCase


class IncidentListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "incidents:incident-list"
    filter_query = {"kind": "tampering"}
    sort = "title"

    def make_row(self, i: int, matching: bool) -> Any:
        return open_incident(
            self.company,
            kind="tampering" if matching else "cyber",
            title=f"Incident number {i:03d}",
            description="Found at the gate.",
        )

    def label(self, row: Any) -> str:
        return str(row.title)
