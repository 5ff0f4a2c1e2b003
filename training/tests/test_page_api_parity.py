"""Recording a person's attendance once through the session page and once through the API
writes the same rows and audit entries, under the session's lock on both sides; a second
record of the same person is refused (page: no longer a choice; API: 400 with its code)."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from personnel.tests.world import TempMedia
from portal.testing import PersonaTestCase, written
from training import workflow
from training.models import TrainingRecord
from training.tests import factories as f

D = datetime.date
NOW = datetime.datetime(2025, 6, 10, 15, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class AttendanceParityTests(TempMedia, PersonaTestCase):
    def setUp(self) -> None:
        guard = f.role(self.company, "guard")
        course = f.course(self.company, roles=[guard])
        self.people = [f.employee(self.company, n, "Ruiz", roles=[guard]) for n in ("Ana", "Luis")]
        self.session = f.session(course, D(2025, 6, 2))
        self.api = self.api_as("user")
        self.login("user")

    def page(self, person: int) -> object:
        url = reverse("training:attendance-add", args=[self.company.pk, self.session.pk])
        data = {"employees": [self.people[person].pk], "completed_on": "2025-06-02"}
        return self.client.post(url, data)

    def by_api(self, person: int) -> object:
        data = {
            "company": self.company.pk,
            "employee": self.people[person].pk,
            "course": self.session.course_id,
            "session": self.session.pk,
            "completed_on": "2025-06-02",
        }
        return self.api.post(reverse("api:training-record-list"), data, format="json")

    def test_one_attendee_writes_the_same_rows_from_the_page_and_the_api(self) -> None:
        with written(TrainingRecord) as page:
            self.page(0)
        with written(TrainingRecord) as api:
            answer = self.by_api(1)
            self.assertEqual(answer.status_code, 201, answer.content)  # type: ignore[attr-defined]
        self.assertEqual(page.rows, {"training.TrainingRecord": 1})
        self.assertEqual(page, api)
        recorded_by = set(TrainingRecord.objects.values_list("recorded_by__email", flat=True))
        self.assertEqual(recorded_by, {"user@acme.test"})

    def test_a_second_record_of_the_same_person_is_refused_on_both_sides(self) -> None:
        self.page(0)
        with written(TrainingRecord) as page:
            self.assertEqual(self.page(0).status_code, 400)  # type: ignore[attr-defined]
        with written(TrainingRecord) as api:
            answer = self.by_api(0)
        # The serializer's model validation names the duplicate; the workflow's own check
        # under the session's lock catches two requests that both passed it.
        self.assertEqual(answer.status_code, 400)  # type: ignore[attr-defined]
        self.assertFalse(page)
        self.assertFalse(api)
        first = TrainingRecord.objects.get()
        again = TrainingRecord(
            company_id=first.company_id,
            employee=first.employee,
            course_id=first.course_id,
            session=first.session,
            completed_on=first.completed_on,
        )
        with self.assertRaises(workflow.AlreadyRecorded) as refused:
            workflow.record_training(again)
        self.assertEqual(
            (refused.exception.code, refused.exception.status), ("already_recorded", 400)
        )
