"""The seal log as a list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

from typing import Any

from core.listchecks import ListPageChecks
from portal.testing import PersonaTestCase
from seals.models import Seal


class SealListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "seals:seal-list"
    filter_query = {"status": "affixed"}
    sort = "number"

    def make_row(self, i: int, matching: bool) -> Any:
        return Seal.objects.create(
            company=self.company,
            number=f"MX{i:07d}",
            manufacturer="TydenBrooks",
            certificate_ref="ISO17712-2013-H-778",
            storage_location="Caja fuerte",
            status="affixed" if matching else "in_stock",
            iit_number="MSCU1234565" if matching else "",
        )

    def label(self, row: Any) -> str:
        return str(row.number)
