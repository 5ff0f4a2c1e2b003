"""Adding an employee and recording a screening, once through the pages and once through
the API, write the same rows and audit entries (both call `personnel.workflow.save_employee`
/ `record_screening`): the employee's security roles are set on both sides, and a screening
records who entered it (the API used to leave `recorded_by` empty)."""

from __future__ import annotations

import uuid

from django.urls import reverse

from personnel.models import Employee, Screening, SecurityRole
from portal.testing import PersonaTestCase, written

TABLES = (Employee, Employee.roles.through, Screening)


class PersonnelParityTests(PersonaTestCase):
    def setUp(self) -> None:
        self.role = SecurityRole.objects.create(
            company=self.company, code="guard", name_en="Guard", name_es="Guardia"
        )

    def test_adding_an_employee_writes_the_same_from_the_page_and_the_api(self) -> None:
        person = {"first_name": "Ana", "last_name": "Ruiz", "roles": [self.role.pk]}
        self.login("user")
        with written(*TABLES) as page:
            self.client.post(
                reverse("personnel:employee-list", args=[self.company.pk]),
                {**person, "employee_number": "E-1", "submission_key": str(uuid.uuid4())},
            )
        with written(*TABLES) as api:
            answer = self.api_as("user").post(
                reverse("api:employee-list"),
                {**person, "employee_number": "E-2", "company": self.company.pk},
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["personnel.Employee"], 1)
        self.assertEqual(page.rows["personnel.Employee_roles"], 1)
        self.assertEqual(page, api)

    def test_a_screening_writes_the_same_and_records_who_entered_it(self) -> None:
        employee = Employee.objects.create(
            company=self.company, first_name="Ana", last_name="Ruiz", employee_number="E-1"
        )
        screening = {
            "employee": employee.pk,
            "kind": "background",
            "checked_items": "Criminal record",
            "checked_on": "2025-01-10",
            "outcome": "clear",
        }
        self.login("admin")
        with written(*TABLES) as page:
            self.client.post(
                reverse("personnel:screening-create", args=[self.company.pk]),
                {**screening, "submission_key": str(uuid.uuid4())},
            )
        with written(*TABLES) as api:
            answer = self.api_as("admin").post(
                reverse("api:personnel-screening-list"),
                {**screening, "company": self.company.pk},
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["personnel.Screening"], 1)
        self.assertEqual(page, api)
        recorders = set(Screening.objects.values_list("recorded_by__email", flat=True))
        self.assertEqual(recorders, {"admin@acme.test"})
