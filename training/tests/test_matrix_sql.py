"""The matrix states counted by the database agree with `judge`, person by person."""

from __future__ import annotations

import datetime
import random

from django.test import TestCase

from companies.models import Company
from portal.testing import make_company
from training.matrix import build_matrix, course_summaries, state_columns
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
            f.course(cls.company, "conduct", roles=[driver]),  # never expires
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
        with self.assertNumQueries(3):  # courses, their roles, the counts
            course_summaries(self.company, today=D(2025, 3, 31))
