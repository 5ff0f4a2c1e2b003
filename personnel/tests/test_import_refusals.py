"""Broken and hostile employee files are refused with a 400 page that says why, and store
no employee; the file's size is checked before it is read (the checks are shared by every
import: core.tests.bad_files.RefusedFileChecks)."""

from __future__ import annotations

from django.urls import reverse

from core.tests.bad_files import RefusedFileChecks
from personnel.models import Employee
from portal.testing import PersonaTestCase


class RefusedEmployeeFileTests(RefusedFileChecks, PersonaTestCase):
    header = ("employee_number", "first_name", "last_name")
    row = ("E-1", "Ana", "Ruiz")
    nul_column = 1
    stem = "people"
    model = Employee

    def setUp(self) -> None:
        self.url = reverse("personnel:employee-import", args=[self.company.pk])
        self.login("user")
        self.client.get(self.url)
