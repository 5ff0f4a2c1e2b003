"""The employee list: FilterSet, sorting, CSV, empty state, query count."""

from __future__ import annotations

from typing import Any

from core.listchecks import ListPageChecks
from personnel.models import Employee, SecurityRole
from portal.testing import PersonaTestCase


class EmployeeListTests(ListPageChecks, PersonaTestCase):
    list_url_name = "personnel:employee-list"
    sort = "employee_number"

    def setUp(self) -> None:
        super().setUp()
        self.guard = SecurityRole.objects.create(
            company=self.company, code="guard", name_en="Guard", name_es="Guardia"
        )
        self.filter_query = {"roles": str(self.guard.pk)}

    def make_row(self, i: int, matching: bool) -> Any:
        employee = Employee.objects.create(
            company=self.company,
            first_name="Ana",
            last_name=f"Ruiz {i:03d}",
            employee_number=f"E-{i:03d}",
        )
        if matching:
            employee.roles.set([self.guard])
        return employee

    def label(self, row: Any) -> str:
        return str(row.employee_number)

    def test_inactive_people_stay_out_until_asked_for(self) -> None:
        gone = self.make_row(1, True)
        gone.active = False
        gone.save()
        self.assertNotIn(gone.employee_number, self.page_text())
        self.assertIn(gone.employee_number, self.page_text({"active": ""}))
        self.assertIn(gone.employee_number, self.page_text({"active": "false"}))
