"""The mock-audit list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

from typing import Any

from audits.models import MockAudit
from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase
from profiles.models import SecurityProfile
from profiles.tests.factories import make_catalogue


class AuditListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "audits:audit-list"
    filter_query = {"kind": "consultant"}
    sort = "title"
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_catalogue()
        cls.profile = SecurityProfile.start(cls.company)

    def make_row(self, i: int, matching: bool) -> Any:
        return MockAudit.objects.create(
            company=self.company,
            profile=self.profile,
            title=f"Walk number {i:03d}",
            kind="consultant" if matching else "internal",
            auditor=self.users["consultant"],
        )

    def label(self, row: Any) -> str:
        return str(row.title)
