"""Criteria to answer in the task list (`profiles/reminders.py`): an unanswered criterion
with an owner is that owner's task; the unanswered criteria nobody owns are ONE task per
profile for the officers and administrators, linked to the grid filtered to them; only
the current profile counts, only criteria of the company's business type; answered
criteria leave; the number of queries does not grow with the criteria."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.reminders import send_reminders, tasks_for
from profiles.models import SecurityProfile
from profiles.reminders import CRITERIA_UNANSWERED, CRITERION_ANSWER
from profiles.tests.factories import (
    ProfilesTestCase,
    answer,
    load_msc,
    make_catalogue,
)

KINDS = (CRITERIA_UNANSWERED, CRITERION_ANSWER)


def seen(user: object) -> list[tuple[str, str, str]]:
    return [
        (t.kind, str(t.title), str(t.url))
        for t in tasks_for(user)  # type: ignore[arg-type]
        if t.kind in KINDS
    ]


class NewImporterProfileTests(ProfilesTestCase):
    def test_a_new_importer_profile_is_one_task_answer_96_criteria(self) -> None:
        load_msc()
        SecurityProfile.start(self.company)
        grid = reverse("profiles:response-grid", args=[self.company.pk])
        expected = [
            (CRITERIA_UNANSWERED, "Answer 96 criteria", f"{grid}?status=unanswered&owner=none")
        ]
        for persona in ("officer", "admin"):
            self.assertEqual(seen(self.users[persona]), expected, persona)
        for persona in ("user", "viewer", "consultant", "other"):
            self.assertEqual(seen(self.users[persona]), [], persona)
        [task] = [t for t in tasks_for(self.users["officer"]) if t.kind == CRITERIA_UNANSWERED]
        self.assertTrue(task.open_ended)
        self.assertFalse(task.overdue(timezone.localdate()))
        with translation.override("es"):
            self.assertEqual(str(task.title), "Responder 96 criterios")


class CriteriaTaskTests(ProfilesTestCase):
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_catalogue()  # importer: 1.1, 1.2, 3.1, 4.1, 4.2
        cls.profile = SecurityProfile.start(cls.company)

    def test_an_owned_criterion_is_its_owners_task_the_rest_one_task(self) -> None:
        due = timezone.localdate() + datetime.timedelta(days=5)
        owned = answer(self.profile, "3.1", owner=self.users["user"], due_date=due)
        answer(self.profile, "1.1", status="implemented")
        edit = reverse("profiles:response-edit", args=[self.company.pk, owned.criterion_id])
        self.assertEqual(
            seen(self.users["user"]), [(CRITERION_ANSWER, "Answer criterion: 3.1", edit)]
        )
        [task] = [t for t in tasks_for(self.users["user"]) if t.kind == CRITERION_ANSWER]
        self.assertEqual(task.due, due)
        self.assertFalse(task.open_ended)
        self.assertEqual(
            [title for _k, title, _u in seen(self.users["officer"])], ["Answer 3 criteria"]
        )
        self.assertEqual(seen(self.users["viewer"]), [])

    def test_answering_ends_the_tasks(self) -> None:
        answer(self.profile, "3.1", owner=self.users["user"])
        for ref in ("1.1", "1.2", "3.1", "4.1", "4.2"):
            answer(self.profile, ref, status="not_applicable", na_reason="n/a")
        self.assertEqual(seen(self.users["user"]), [])
        self.assertEqual(seen(self.users["officer"]), [])

    def test_only_the_current_profile_counts(self) -> None:
        newer = make_catalogue(version="test-2", effective=datetime.date(2024, 1, 1))
        current = SecurityProfile.objects.create(company=self.company, catalogue=newer)
        current.ensure_responses()
        answer(current, "1.1", status="implemented")
        titles = [title for _k, title, _u in seen(self.users["officer"])]
        self.assertEqual(titles, ["Answer 4 criteria"])

    def test_another_business_types_criteria_do_not_count(self) -> None:
        # An answer left from before a change of business type (3.8: carriers only).
        from catalogue.models import Criterion
        from profiles.models import Response

        Response.objects.create(profile=self.profile, criterion=Criterion.objects.get(ref_id="3.8"))
        titles = [title for _k, title, _u in seen(self.users["officer"])]
        self.assertEqual(titles, ["Answer 5 criteria"])

    def test_the_queries_do_not_grow_with_the_criteria(self) -> None:
        answer(self.profile, "3.1", owner=self.users["officer"])

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                tasks_for(self.users["officer"])
            return len(captured)

        few = count()
        for ref in ("1.1", "1.2", "4.1"):
            answer(self.profile, ref, owner=self.users["officer"])
        self.assertEqual(count(), few)
        self.assertEqual(len(seen(self.users["officer"])), 5)  # 4 owned, 1 aggregate

    def test_a_dated_criterion_is_reminded_an_undated_one_is_not(self) -> None:
        late = timezone.localdate() - datetime.timedelta(days=2)
        answer(self.profile, "3.1", owner=self.users["user"], due_date=late)
        answer(self.profile, "4.1", owner=self.users["user"])
        with self.captureOnCommitCallbacks(execute=True):
            made = [d for d in send_reminders() if d.task.kind in KINDS]
            again = [d for d in send_reminders() if d.task.kind in KINDS]
        self.assertEqual(
            [(str(d.task.title), d.stage, d.task.email) for d in made],
            [("Answer criterion: 3.1", "overdue", "user@acme.test")],
        )
        self.assertEqual(again, [])
