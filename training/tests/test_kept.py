"""A company's training figures are kept a short while (`training.kept`) and forgotten the
moment anything they are counted from changes, so a page never shows figures from before
a change its reader just made."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from personnel.models import Employee
from portal.testing import make_company
from training.matrix import active_courses, course_summaries, open_by_course
from training.models import Course, Retraining
from training.tests import factories as f

TODAY = datetime.date(2025, 3, 31)


class KeptFiguresTests(TestCase):
    def setUp(self) -> None:
        self.company = make_company()
        self.guard = f.role(self.company, "guard")
        self.course = f.course(self.company, "seals", roles=[self.guard], refresher_months=12)
        self.people = [f.employee(self.company, name, "Ruiz", roles=[self.guard]) for name in "ABC"]

    def summary(self) -> tuple[int, int]:
        (found,) = course_summaries(self.company, today=TODAY)
        return found.required, found.current

    def open_people(self) -> int:
        found = open_by_course(
            active_courses(Course.objects.filter(company=self.company)),
            Employee.objects.filter(company=self.company, manager_email=""),
            TODAY,
            kept_as="unmanaged",
        )
        return found[0].people if found else 0

    def test_figures_are_counted_once_then_kept(self) -> None:
        self.assertEqual(self.summary(), (3, 0))
        with CaptureQueriesContext(connection) as again:
            self.assertEqual(self.summary(), (3, 0))
        counted = [q["sql"] for q in again.captured_queries if "GROUP BY" in q["sql"]]
        self.assertEqual(counted, [])

    def test_a_training_record_shows_at_once(self) -> None:
        self.assertEqual((self.summary(), self.open_people()), ((3, 0), 3))
        f.record(self.people[0], self.course, TODAY)
        self.assertEqual((self.summary(), self.open_people()), ((3, 1), 2))

    def test_a_role_taken_away_or_given_shows_at_once(self) -> None:
        self.assertEqual((self.summary(), self.open_people()), ((3, 0), 3))
        self.people[0].roles.remove(self.guard)
        self.assertEqual((self.summary(), self.open_people()), ((2, 0), 2))
        self.guard.employees.add(self.people[0])  # from the role's side
        self.assertEqual((self.summary(), self.open_people()), ((3, 0), 3))

    def test_a_retraining_a_person_leaving_and_a_course_changed_show_at_once(self) -> None:
        for person in self.people:
            f.record(person, self.course, TODAY - datetime.timedelta(days=40))
        self.assertEqual((self.summary(), self.open_people()), ((3, 3), 0))
        Retraining.objects.create(
            company=self.company,
            course=self.course,
            employee=self.people[1],
            trigger="incident",
            reason="Seal found cut",
            requested_on=TODAY,
        )
        self.assertEqual(self.open_people(), 1)
        self.people[2].active = False
        self.people[2].save()
        self.assertEqual(self.summary(), (2, 2))  # the retraining is due soon: current
        self.course.refresher_months = 1  # a completion 40 days ago is now overdue
        self.course.save()
        self.assertEqual((self.summary(), self.open_people()), ((2, 0), 2))
        self.course.roles.clear()
        self.assertEqual(course_summaries(self.company, today=TODAY)[0].required, 0)

    def test_other_companies_keep_their_figures(self) -> None:
        other = make_company("Other Co")
        guard = f.role(other, "guard")
        f.course(other, "seals", roles=[guard], refresher_months=12)
        f.employee(other, "Z", "Ruiz", roles=[guard])
        (before,) = course_summaries(other, today=TODAY)
        f.record(self.people[0], self.course, TODAY)  # a change in the first company
        with CaptureQueriesContext(connection) as again:
            (after,) = course_summaries(other, today=TODAY)
        self.assertEqual((after.required, after.current), (before.required, before.current))
        self.assertEqual([q for q in again.captured_queries if "GROUP BY" in q["sql"]], [])

    def test_one_transaction_forgets_a_company_once_until_it_counts_again(self) -> None:
        # Recording a session's attendees saves a record each: the company's version is
        # written once for all of them, not once a record.
        self.assertEqual(self.summary(), (3, 0))
        with CaptureQueriesContext(connection) as saving:
            for person in self.people:
                f.record(person, self.course, TODAY)
        writes = [
            q["sql"]
            for q in saving.captured_queries
            if "ctpat_cache" in q["sql"] and q["sql"].startswith(("INSERT", "UPDATE"))
        ]
        self.assertEqual(len(writes), 1, writes)
        self.assertEqual(self.summary(), (3, 3))
        f.record(self.people[0], self.course, TODAY - datetime.timedelta(days=1))
        self.people[0].roles.remove(self.guard)  # counted since: forgotten again
        self.assertEqual(self.summary(), (2, 2))
