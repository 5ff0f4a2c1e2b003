"""The matrix states counted by the database agree with `judge`, person by person."""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from companies.models import Company
from personnel.models import Employee
from portal.testing import make_company
from training.matrix import (
    OpenCourse,
    active_courses,
    build_matrix,
    course_summaries,
    open_by_course,
    open_cells,
    state_columns,
)
from training.models import Course, Retraining
from training.tests import factories as f

D = datetime.date


class SqlStatesAgreeWithJudgeTests(TestCase):
    company: Company
    courses: list[Course]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.company = make_company()
        guard = f.role(cls.company, "guard")
        driver = f.role(cls.company, "driver")
        cls.courses = [
            f.course(cls.company, "seals", roles=[guard], refresher_months=12),
            f.course(cls.company, "threats", roles=[guard, driver], refresher_months=1),
            f.course(cls.company, "conduct", roles=[driver], refresher_months=0),  # never expires
            f.course(cls.company, "cyber", roles=[guard], refresher_months=24),
        ]
        rng = random.Random(7)
        today = D(2025, 3, 31)
        for i in range(60):
            roles = [[guard], [driver], [guard, driver], []][i % 4]
            person = f.employee(cls.company, f"P{i}", "X", roles=roles)
            for course in cls.courses:
                for _ in range(rng.randrange(3)):  # none, one or two completions
                    done = today - datetime.timedelta(days=rng.randrange(800))
                    f.record(person, course, done)
                if rng.random() < 0.3:
                    Retraining.objects.create(
                        company=cls.company,
                        course=course,
                        employee=person,
                        trigger="incident",
                        reason="Incident at gate 3",
                        requested_on=today - datetime.timedelta(days=rng.randrange(-40, 400)),
                    )

    def test_each_cell_and_summary_matches_the_python_rules(self) -> None:
        # Month ends, the due-soon edge and a leap day are where the two could part.
        for today in (D(2025, 3, 31), D(2025, 2, 28), D(2024, 2, 29), D(2025, 1, 1)):
            with self.subTest(today=today):
                matrix = build_matrix(self.company, today=today)
                courses = list(
                    Course.objects.filter(company=self.company).prefetch_related("roles")
                )
                annotated, names = state_columns(
                    self.company.employees.filter(active=True), courses, today
                )
                sql = {row["pk"]: row for row in annotated.values("pk", *names)}
                for row in matrix.rows:
                    for name, cell in zip(names, row.cells, strict=True):
                        expected = cell.state.value if cell else None
                        self.assertEqual(sql[row.employee.pk][name], expected, row.employee)
                python = [(s.course, s.required, s.counts) for s in matrix.summaries()]
                counted = [
                    (s.course, s.required, s.counts)
                    for s in course_summaries(self.company, today=today)
                ]
                self.assertEqual(counted, python)

    def test_summaries_take_one_query_for_the_courses_and_one_for_the_counts(self) -> None:
        today = D(2025, 3, 31)
        with CaptureQueriesContext(connection) as first:
            course_summaries(self.company, today=today)
        counting = [q["sql"] for q in first.captured_queries if q["sql"].startswith("SELECT")]
        counting = [sql for sql in counting if "ctpat_cache" not in sql]
        self.assertEqual(len(counting), 3, counting)  # courses, their roles, the counts
        # Then kept (training.kept): courses, roles, the company's version, the figures.
        with self.assertNumQueries(4):
            course_summaries(self.company, today=today)

    def test_the_open_people_counted_by_course_are_those_judged_one_by_one(self) -> None:
        """`open_by_course` (the officer's one task per course) gives, per course, the
        number of cells `open_cells` yields and the earliest of their due dates (None as
        soon as one person never took it)."""
        courses = active_courses(Course.objects.filter(company=self.company))
        employees = Employee.objects.filter(company=self.company)
        for today in (D(2025, 3, 31), D(2025, 2, 28), D(2024, 2, 29), D(2025, 1, 1)):
            with self.subTest(today=today):
                expected: dict[int, tuple[int, list[D | None]]] = {}
                for _person, cell in open_cells(courses, employees, today):
                    n, dues = expected.get(cell.course.pk, (0, []))
                    expected[cell.course.pk] = (n + 1, [*dues, cell.due_on])
                wanted = [
                    OpenCourse(
                        course,
                        expected[course.pk][0],
                        None if None in expected[course.pk][1] else min(expected[course.pk][1]),  # type: ignore[type-var]
                    )
                    for course in self.courses
                    if course.pk in expected
                ]
                self.assertEqual(
                    sorted(wanted, key=lambda o: o.course.pk),
                    sorted(open_by_course(courses, employees, today), key=lambda o: o.course.pk),
                )
                self.assertTrue(all(o.people for o in wanted))

    def test_the_earliest_due_date_is_given_when_everyone_took_the_course(self) -> None:
        """The random world has someone who never took each course: a small one where
        everyone took it once, one overdue and one due soon, and a retraining asked."""
        other = make_company("Other Co")
        guard = f.role(other, "guard")
        course = f.course(other, "seals", roles=[guard], refresher_months=12)
        never = f.course(other, "conduct", roles=[guard], refresher_months=0)  # never expires
        today = D(2025, 3, 31)
        late, soon, fine = (f.employee(other, n, "X", roles=[guard]) for n in ("A", "B", "C"))
        f.record(late, course, D(2024, 3, 1))  # due 2025-03-01: overdue
        f.record(soon, course, D(2024, 4, 20))  # due 2025-04-20: due soon
        f.record(fine, course, D(2025, 1, 1))
        for person in (late, soon, fine):
            f.record(person, never, D(2020, 1, 1))
        employees = Employee.objects.filter(company=other)
        courses = active_courses(Course.objects.filter(company=other))
        self.assertEqual(
            open_by_course(courses, employees, today), [OpenCourse(course, 2, D(2025, 3, 1))]
        )
        Retraining.objects.create(
            company=other,
            course=never,
            employee=fine,
            trigger="incident",
            reason="Gate 3",
            requested_on=D(2025, 2, 1),
        )
        with self.assertNumQueries(1):  # the counts of every course
            found = open_by_course(courses, employees, today)
        self.assertEqual(
            sorted(found, key=lambda o: o.course.pk),
            [OpenCourse(course, 2, D(2025, 3, 1)), OpenCourse(never, 1, D(2025, 2, 1))],
        )
