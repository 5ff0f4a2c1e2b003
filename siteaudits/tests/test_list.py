"""The site-audit list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

import datetime
from typing import Any

from core.listchecks import ListPageChecks
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase
from siteaudits.models import SiteAudit
from siteaudits.tests.world import make_partner


class SiteAuditListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "siteaudits:audit-list"
    filter_query = {"status": "completed"}
    sort = "planned_on"
    partner: BusinessPartner

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.partner = make_partner(cls.company)

    def make_row(self, i: int, matching: bool) -> Any:
        return SiteAudit.objects.create(
            company=self.company,
            partner=self.partner,
            planned_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            site=f"Plant {i:03d}",
            auditor=self.users["user"],
            business_type="highway_carrier",
            tier="medium",
            status="completed" if matching else "planned",
        )

    def label(self, row: Any) -> str:
        return str(row.planned_on)
