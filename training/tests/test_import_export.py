"""Attendance import (all or nothing), matrix export and effectiveness figures."""

from __future__ import annotations

import csv
import datetime
import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.testing import PersonaTestCase, filled_template
from training.effectiveness import effectiveness
from training.importers import AttendanceImporter
from training.models import TrainingRecord
from training.tests import factories as f

D = datetime.date
NOW = datetime.datetime(2025, 6, 10, 15, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class AttendanceImportTests(PersonaTestCase):
    def setUp(self) -> None:
        guard = f.role(self.company, "guard")
        self.course = f.course(self.company, roles=[guard])
        self.ana = f.employee(self.company, "Ana", "Ruiz", employee_number="E-1", roles=[guard])
        self.luis = f.employee(
            self.company,
            "Luis",
            "Gómez",
            employee_number="E-2",
            email="luis@acme.test",
            roles=[guard],
        )
        self.session = f.session(self.course, D(2025, 6, 2))
        self.url = reverse("training:attendance-import", args=[self.company.pk, self.session.pk])
        self.login("user")

    def post(self, text: str):
        return self.client.post(self.url, {"file": SimpleUploadedFile("a.csv", text.encode())})

    def test_a_valid_file_records_everyone(self) -> None:
        response = self.post(
            "employee_number,email,completed_on,quiz_score,observation\n"
            "E-1,,2025-06-03,85%,\n"
            ",LUIS@acme.test,,,met\n"
        )
        self.assertEqual(response.status_code, 302)
        records = {r.employee: r for r in TrainingRecord.objects.all()}
        self.assertEqual(
            (records[self.ana].completed_on, records[self.ana].quiz_score), (D(2025, 6, 3), 85)
        )
        self.assertEqual(
            (records[self.luis].completed_on, records[self.luis].observation),
            (D(2025, 6, 2), "met"),
        )

    def test_any_bad_row_refuses_the_whole_file(self) -> None:
        f.employee(self.company, "Old", "Timer", employee_number="E-9").deactivate()
        stranger = f.employee(self.other_company, "X", "Y", employee_number="E-7")
        response = self.post(
            "employee_number,completed_on,quiz_score,observation\n"
            "E-1,2025-06-02,90,\n"  # fine
            "E-1,2025-06-02,,\n"  # duplicate of row 2
            "E-2,2025-06-01,,\n"  # before the session
            f"{stranger.employee_number},,,\n"  # another company's number
            "E-9,,,\n"  # inactive
            "E-2,06/05/2025,101,great\n"  # again; bad date, score, observation
            ",,,\n"  # blank line: skipped
            "E-404,2025-07-01,,\n"  # unknown, in the future
        )
        self.assertEqual(response.status_code, 400)
        problems = {(p.row, p.column) for p in response.context["problems"]}
        self.assertEqual(
            problems,
            {
                (3, "employee_number"),
                (4, "completed_on"),
                (5, "employee_number"),
                (6, "employee_number"),
                (7, "employee_number"),
                (7, "completed_on"),
                (7, "quiz_score"),
                (7, "observation"),
                (9, "employee_number"),
                (9, "completed_on"),
            },
        )
        self.assertContains(
            response, "cannot be dated before its session (2025-06-02)", status_code=400
        )
        self.assertFalse(TrainingRecord.objects.exists())

    def test_the_template_filled_with_one_row_imports(self) -> None:
        url = reverse("training:attendance-import-template", args=[self.company.pk, "xlsx"])
        self.assertContains(self.client.get(self.url), url)
        template = self.client.get(url).content
        data = filled_template(
            template, "xlsx", AttendanceImporter.columns, {"employee_number": "E-1"}
        )
        response = self.client.post(self.url, {"file": SimpleUploadedFile("a.xlsx", data)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(TrainingRecord.objects.get().employee, self.ana)

    def test_people_already_recorded_are_refused_by_row(self) -> None:
        f.record(self.ana, self.course, D(2025, 6, 2), session=self.session)
        response = self.post("employee_number\nE-1\n")
        self.assertContains(response, "already recorded as attending", status_code=400)

    def test_a_file_without_an_identifying_column_is_refused(self) -> None:
        response = self.post("name,quiz_score\nAna,90\n")
        self.assertContains(response, "employee_number or an email column", status_code=400)


@time_machine.travel(NOW, tick=False)
class ExportTests(PersonaTestCase):
    def setUp(self) -> None:
        guard, clerk = f.role(self.company, "guard"), f.role(self.company, "clerk")
        self.awareness = f.course(
            self.company, "threat_awareness", roles=[guard, clerk], title_en="Threat awareness"
        )
        f.course(self.company, "document_review", roles=[clerk], title_en="Document review")
        site = f.facility(self.company, "Laredo")
        ana = f.employee(
            self.company, "Ana", "Ruiz", employee_number="E-1", roles=[guard], facility=site
        )
        f.employee(self.company, "=HYPERLINK(1)", "Gómez", roles=[clerk])
        f.record(ana, self.awareness, D(2024, 6, 20))
        self.login("viewer")

    def test_csv_lists_each_person_and_required_course_state(self) -> None:
        response = self.client.get(reverse("training:matrix-export", args=[self.company.pk]))
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            rows[0][:5],
            ["Employee number", "Name", "Facility", "Security roles", "Document review"],
        )
        by_name = {r[1]: r for r in rows[1:]}
        ana = by_name["Ana Ruiz"]
        self.assertEqual(ana[2], "Laredo")
        self.assertEqual(ana[4], "not required")
        self.assertEqual(ana[7:10], ["Due soon", "2024-06-20", "2025-06-20"])
        self.assertIn("'=HYPERLINK(1) Gómez", by_name, "formulas are neutralised")

    def test_excel_export_and_filters(self) -> None:
        from openpyxl import load_workbook

        url = reverse("training:matrix-export", args=[self.company.pk])
        response = self.client.get(url, {"format": "xlsx", "state": "missing"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        names = [row[1] for row in sheet.iter_rows(min_row=2)]  # type: ignore[union-attr]
        # Stored as text, not as a formula: the reader sees the name exactly, never runs it.
        self.assertEqual([(c.value, c.data_type) for c in names], [("=HYPERLINK(1) Gómez", "s")])

    def test_the_matrix_page_filters_by_course_and_state(self) -> None:
        url = reverse("training:matrix", args=[self.company.pk])
        page = self.client.get(url, {"course": str(self.awareness.pk), "state": "due_soon"})
        self.assertEqual([r.employee.first_name for r in page.context["matrix"].rows], ["Ana"])
        self.assertContains(page, 'data-state="due_soon"')


class EffectivenessTests(PersonaTestCase):
    def test_scores_and_observations_are_aggregated_per_course(self) -> None:
        course = f.course(self.company, pass_mark=80)
        other = f.course(self.company, "seal_handling")
        people = [f.employee(self.company, str(i), "P") for i in range(6)]
        day = D(2025, 1, 10)
        f.record(people[0], course, day, quiz_score=95)
        f.record(people[1], course, day, quiz_score=80)  # at the pass mark: effective
        f.record(people[2], course, day, quiz_score=60)
        f.record(people[3], course, day, observation="met")
        f.record(people[4], course, day, observation="not_met")
        f.record(people[5], course, day)  # not measured
        result = effectiveness([course, other])
        measure = result[course.pk]
        self.assertEqual((measure.records, measure.measured, measure.effective), (6, 5, 3))
        self.assertEqual(measure.rate, 60)
        self.assertEqual(measure.average_score, 78.3)
        self.assertEqual((result[other.pk].measured, result[other.pk].rate), (0, None))

    def test_the_course_page_shows_the_measure(self) -> None:
        course = f.course(self.company)
        f.record(f.employee(self.company), course, D(2025, 1, 10), quiz_score=90)
        self.login("viewer")
        response = self.client.get(
            reverse("training:course-detail", args=[self.company.pk, course.pk])
        )
        self.assertContains(response, "100% met the objectives (1 of 1 measured)")
