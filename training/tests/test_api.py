"""The JSON API: employees, screenings with sensitive fields, courses, records, matrix."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.urls import reverse

from personnel.models import Employee, SensitiveAccessLog
from personnel.tests.world import WithPeople
from training.models import TrainingRecord
from training.tests import factories as f

NOW = datetime.datetime(2025, 6, 10, 15, tzinfo=datetime.UTC)


class ApiTests(WithPeople):
    def setUp(self) -> None:
        super().setUp()
        self.course = f.course(self.company, roles=[self.role])
        self.session = f.session(self.course, datetime.date(2025, 1, 15))

    def api(self, persona: str, method: str, url: str, data: Any = None) -> Any:
        self.login(persona)
        call = getattr(self.client, method)
        if data is not None:
            return call(url, data=data, content_type="application/json")
        return call(url)

    def test_screening_details_only_for_managers_and_logged(self) -> None:
        url = reverse("api:personnel-screening-list")
        viewer = self.api("viewer", "get", url).json()["results"][0]
        self.assertEqual(viewer["outcome"], "clear")
        self.assertNotIn("outcome_details", viewer)
        self.assertNotIn("notes", viewer)
        specialist = self.api("specialist", "get", url).json()["results"]
        self.assertTrue(all("outcome_details" not in s for s in specialist))
        self.assertFalse(SensitiveAccessLog.objects.exists())
        admin = self.api("admin", "get", url).json()["results"][0]
        self.assertEqual(admin["outcome_details"], "Minor traffic offence 2019")
        entry = SensitiveAccessLog.objects.get()
        self.assertEqual(
            (entry.user_email, entry.channel, entry.employee),
            ("admin@acme.test", "api", self.employee),
        )

    def test_only_managers_may_write_screenings(self) -> None:
        data = {
            "company": self.company.pk,
            "employee": self.employee.pk,
            "kind": "background",
            "checked_items": "Criminal record",
            "checked_on": "2025-02-01",
            "outcome": "pending",
        }
        url = reverse("api:personnel-screening-list")
        self.assertEqual(self.api("user", "post", url, data).status_code, 400)
        self.assertEqual(self.api("officer", "post", url, data).status_code, 201)

    def test_delete_deactivates_the_employee(self) -> None:
        url = reverse("api:employee-detail", args=[self.employee.pk])
        self.assertEqual(self.api("user", "delete", url).status_code, 204)
        self.employee.refresh_from_db()
        self.assertFalse(self.employee.active)
        self.assertTrue(Employee.objects.filter(pk=self.employee.pk).exists())

    def test_employees_cannot_take_another_companys_roles(self) -> None:
        theirs = f.role(self.other_company, "guard")
        response = self.api(
            "user",
            "post",
            reverse("api:employee-list"),
            {
                "company": self.company.pk,
                "first_name": "Luis",
                "last_name": "Gómez",
                "roles": [theirs.pk],
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("roles", response.json())

    def test_a_record_cannot_be_backdated_before_its_session(self) -> None:
        payload = {
            "company": self.company.pk,
            "employee": self.employee.pk,
            "course": self.course.pk,
            "session": self.session.pk,
            "completed_on": "2025-01-10",
        }
        response = self.api("user", "post", reverse("api:training-record-list"), payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("completed_on", response.json())
        payload["completed_on"] = "2025-01-15"
        created = self.api("user", "post", reverse("api:training-record-list"), payload)
        self.assertEqual(created.status_code, 201)
        self.assertEqual(TrainingRecord.objects.get().recorded_by, self.users["user"])
        again = self.api("user", "post", reverse("api:training-record-list"), payload)
        self.assertEqual(again.status_code, 400)

    def test_course_criteria_are_checked(self) -> None:
        response = self.api(
            "user",
            "patch",
            reverse("api:training-course-detail", args=[self.course.pk]),
            {"criteria": ["12.2", "x"]},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("criteria", response.json())

    @time_machine.travel(NOW, tick=False)
    def test_the_matrix_endpoint(self) -> None:
        f.record(self.employee, self.course, datetime.date(2024, 6, 20))
        url = reverse("api:training-matrix-list")
        self.assertEqual(self.api("viewer", "get", url).status_code, 400)
        self.assertEqual(
            self.api("other", "get", f"{url}?company={self.company.pk}").status_code, 404
        )
        data = self.api("specialist", "get", f"{url}?company={self.company.pk}").json()
        self.assertEqual(data["today"], "2025-06-10")
        cell = data["results"][0]["cells"][0]
        self.assertEqual((cell["state"], cell["due_on"]), ("due_soon", "2025-06-20"))
        self.assertEqual(data["summary"][0]["rate"], 100)
        empty = self.api("viewer", "get", f"{url}?company={self.company.pk}&state=missing").json()
        self.assertEqual((empty["count"], empty["results"]), (0, []))
