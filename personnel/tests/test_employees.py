"""Employees: deactivation keeps history, separation checklist, code-of-conduct
acknowledgement and the all-or-nothing import."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from personnel.importers import EmployeeImporter
from personnel.models import ConductAcknowledgement, Employee, SecurityRole, Separation
from personnel.tests.world import PDF, WithPeople
from portal.testing import PersonaTestCase, filled_template
from training.models import TrainingRecord
from training.tests import factories as f


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class EmployeeLifecycleTests(WithPeople):
    def setUp(self) -> None:
        super().setUp()
        self.login("user")

    def test_deleting_an_employee_deactivates_and_keeps_records(self) -> None:
        course = f.course(self.company, roles=[self.role])
        f.record(self.employee, course, datetime.date(2025, 1, 5))
        response = self.client.post(
            reverse("personnel:employee-deactivate", args=[self.company.pk, self.employee.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.employee.refresh_from_db()
        self.assertFalse(self.employee.active)
        self.assertIsNotNone(self.employee.deactivated_on)
        self.assertEqual(TrainingRecord.objects.filter(employee=self.employee).count(), 1)
        self.assertEqual(self.employee.screenings.count(), 1)
        url = reverse("personnel:employee-list", args=[self.company.pk])
        self.assertEqual(list(self.client.get(url).context["listing"].page), [])
        listing = self.client.get(url, {"active": ""})
        self.assertEqual(list(listing.context["listing"].page), [self.employee])
        self.client.post(
            reverse("personnel:employee-reactivate", args=[self.company.pk, self.employee.pk])
        )
        self.employee.refresh_from_db()
        self.assertEqual((self.employee.active, self.employee.deactivated_on), (True, None))

    def test_the_separation_checklist_deactivates_and_names_what_is_left(self) -> None:
        url = reverse("personnel:separation-edit", args=[self.company.pk, self.employee.pk])
        response = self.client.post(
            url,
            {"separated_on": "2025-03-01", "badges_returned": "on", "keys_returned": "on"},
            follow=True,
        )
        self.assertContains(response, "computer accounts disabled")
        separation = Separation.objects.get(employee=self.employee)
        self.assertFalse(separation.complete)
        self.employee.refresh_from_db()
        self.assertEqual(
            (self.employee.active, self.employee.deactivated_on), (False, datetime.date(2025, 3, 1))
        )
        self.client.post(
            url,
            {
                "separated_on": "2025-03-01",
                "badges_returned": "on",
                "keys_returned": "on",
                "accounts_disabled": "on",
                "access_removed": "on",
            },
        )
        separation.refresh_from_db()
        self.assertTrue(separation.complete)
        self.assertEqual(Separation.objects.count(), 1)

    def test_employee_numbers_are_unique_within_the_company(self) -> None:
        response = self.client.post(
            reverse("personnel:employee-list", args=[self.company.pk]),
            {"first_name": "Luis", "last_name": "Gómez", "employee_number": "E-1"},
        )
        self.assertContains(response, "already has number E-1")
        self.assertEqual(Employee.objects.count(), 1)

    def test_a_facility_must_be_the_companys_own(self) -> None:
        theirs = f.facility(self.other_company)
        response = self.client.post(
            reverse("personnel:employee-list", args=[self.company.pk]),
            {"first_name": "Luis", "last_name": "Gómez", "facility": theirs.pk},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("facility", response.context["form"].errors)

    def test_a_double_submitted_create_form_creates_one_employee(self) -> None:
        data = {
            "first_name": "Luis",
            "last_name": "Gómez",
            "submission_key": "0b7f7c1e-3a52-4c8e-9a53-2c3a6f1d2e10",
        }
        url = reverse("personnel:employee-list", args=[self.company.pk])
        self.client.post(url, data)
        self.client.post(url, data)
        self.assertEqual(Employee.objects.filter(last_name="Gómez").count(), 1)

    def test_code_of_conduct_acknowledgement_with_signed_copy(self) -> None:
        url = reverse("personnel:acknowledgement-create", args=[self.company.pk, self.employee.pk])
        response = self.client.post(
            url,
            {
                "code_version": "v3",
                "acknowledged_on": "2025-02-01",
                "evidence": upload("signed.pdf", PDF),
            },
        )
        self.assertEqual(response.status_code, 302)
        ack = ConductAcknowledgement.objects.get(code_version="v3")
        self.assertTrue(str(ack.evidence.name).endswith(".pdf"))
        again = self.client.post(url, {"code_version": "v3", "acknowledged_on": "2025-02-02"})
        self.assertContains(again, "already acknowledged version v3", status_code=400)

    def test_a_program_renamed_pdf_is_refused(self) -> None:
        url = reverse("personnel:acknowledgement-create", args=[self.company.pk, self.employee.pk])
        response = self.client.post(
            url,
            {
                "code_version": "v4",
                "acknowledged_on": "2025-02-01",
                "evidence": upload("signed.pdf", b"MZ\x90\x00" + b"\x00" * 200),
            },
        )
        self.assertContains(
            response, "“signed.pdf” is a Windows program, whatever its name says", status_code=400
        )
        self.assertFalse(ConductAcknowledgement.objects.filter(code_version="v4").exists())

    def acknowledge(self, version: str, size_mb: float) -> Any:
        content = PDF + b"0" * int(size_mb * 1024 * 1024)
        url = reverse("personnel:acknowledgement-create", args=[self.company.pk, self.employee.pk])
        data = {"code_version": version, "acknowledged_on": "2025-02-01"}
        return self.client.post(url, {**data, "evidence": upload("signed.pdf", content)})

    @override_settings(CTPAT_UPLOAD_MAX_MB=1)
    def test_a_signed_copy_over_the_portal_upload_limit_is_refused(self) -> None:
        response = self.acknowledge("v5", 1.5)
        self.assertContains(response, "files may be at most 1 MB", status_code=400)
        self.assertFalse(ConductAcknowledgement.objects.filter(code_version="v5").exists())

    @override_settings(CTPAT_UPLOAD_MAX_MB=12)
    def test_a_signed_copy_up_to_the_portal_upload_limit_is_kept(self) -> None:
        # The form once capped signed copies at 10 MB whatever CTPAT_UPLOAD_MAX_MB said.
        self.assertEqual(self.acknowledge("v6", 10.5).status_code, 302)
        self.assertTrue(ConductAcknowledgement.objects.filter(code_version="v6").exists())


class EmployeeImportTests(PersonaTestCase):
    def setUp(self) -> None:
        self.guard = SecurityRole.objects.create(
            company=self.company, code="guard", name_en="Security guard", name_es="Guardia"
        )
        SecurityRole.objects.create(company=self.company, code="driver", name_en="Driver")
        f.facility(self.company, "Laredo")
        self.url = reverse("personnel:employee-import", args=[self.company.pk])
        self.login("user")

    def post(self, name: str, content: bytes):
        return self.client.post(self.url, {"file": upload(name, content)})

    def test_a_valid_csv_creates_every_employee_with_roles_and_facility(self) -> None:
        csv = (
            "employee_number,first_name,last_name,email,roles,facility,hire_date\n"
            "E-10,Ana,Ruiz,ana@acme.test,guard;driver,Laredo,2024-05-01\n"
            "E-11,Luis,Gómez,,Guardia,,\n"
        )
        response = self.post("people.csv", csv.encode())
        self.assertEqual(response.status_code, 302)
        ana = Employee.objects.get(employee_number="E-10")
        self.assertEqual(set(ana.roles.values_list("code", flat=True)), {"guard", "driver"})
        self.assertEqual(ana.facility.city, "Laredo")  # type: ignore[union-attr]
        self.assertEqual(ana.hire_date, datetime.date(2024, 5, 1))
        self.assertEqual(
            list(Employee.objects.get(employee_number="E-11").roles.all()), [self.guard]
        )

    def test_an_excel_file_is_read_and_existing_numbers_are_updated(self) -> None:
        from openpyxl import Workbook

        Employee.objects.create(
            company=self.company,
            employee_number="E-10",
            first_name="Ana",
            last_name="Ruiz",
            email="old@acme.test",
        )
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Employee_Number", "First_Name", "Last_Name", "Job_Title", "Hire_Date"])
        sheet.append(["E-10", "Ana", "Ruiz Soto", "Gate guard", datetime.datetime(2023, 2, 1)])
        buffer = io.BytesIO()
        book.save(buffer)
        response = self.post("people.xlsx", buffer.getvalue())
        self.assertEqual(response.status_code, 302)
        ana = Employee.objects.get(employee_number="E-10")
        self.assertEqual(
            (ana.last_name, ana.job_title, ana.email, ana.hire_date),
            ("Ruiz Soto", "Gate guard", "old@acme.test", datetime.date(2023, 2, 1)),
        )

    def test_the_template_filled_with_one_row_imports(self) -> None:
        page = self.client.get(self.url)
        for kind in ("csv", "xlsx"):
            url = reverse("personnel:employee-import-template", args=[self.company.pk, kind])
            self.assertContains(page, url)
            template = self.client.get(url, HTTP_ACCEPT_LANGUAGE="es").content
            one_row = {"first_name": "Ana", "last_name": kind, "roles": "guard"}
            data = filled_template(template, kind, EmployeeImporter.columns, one_row)
            self.assertEqual(self.post(f"people.{kind}", data).status_code, 302)
        self.assertEqual(
            sorted(Employee.objects.values_list("last_name", flat=True)), ["csv", "xlsx"]
        )

    def test_one_bad_row_refuses_the_whole_file_with_row_and_column(self) -> None:
        csv = (
            "employee_number,first_name,last_name,email,roles,facility,hire_date\n"
            "E-10,Ana,Ruiz,ana@acme.test,guard,Laredo,2024-05-01\n"
            "E-11,,Gómez,not-an-email,pilot,Reno,31/12/2024\n"
            "E-10,Eva,Luna,,,,2999-01-01\n"
        )
        response = self.post("people.csv", csv.encode())
        self.assertEqual(response.status_code, 400)
        problems = {(p.row, p.column) for p in response.context["problems"]}
        self.assertEqual(
            problems,
            {
                (3, "first_name"),
                (3, "email"),
                (3, "roles"),
                (3, "facility"),
                (3, "hire_date"),
                (4, "employee_number"),
                (4, "hire_date"),
            },
        )
        self.assertContains(response, "pilot", status_code=400)
        self.assertFalse(Employee.objects.exists(), "nothing is written when a row is bad")

    def test_files_that_cannot_be_read_are_refused(self) -> None:
        cases = {
            ("people.txt", b"first_name,last_name\nA,B\n"): "Upload a .csv or .xlsx file",
            ("people.csv", b"first_name\nAna\n"): "This column is missing",
            ("people.csv", "first_name,last_name\nÁna,B\n".encode("latin-1")): "not UTF-8",
            ("people.xlsx", b"PK\x03\x04 not really"): "Excel workbook is damaged",
            ("people.csv", b"first_name,last_name\n"): "no rows",
        }
        for (name, content), message in cases.items():
            with self.subTest(name=name, message=message):
                self.assertContains(self.post(name, content), message, status_code=400)
        self.assertFalse(Employee.objects.exists())
