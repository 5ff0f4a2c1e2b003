"""Matrix states under controlled time, refresher periods and retraining triggers."""

from __future__ import annotations

import datetime

import time_machine
from django.test import TestCase

from portal.testing import make_company
from training.matrix import State, add_months, build_matrix
from training.models import Retraining
from training.tests import factories as f

D = datetime.date


class AddMonthsTests(TestCase):
    def test_end_of_month_clamps(self) -> None:
        self.assertEqual(add_months(D(2024, 1, 31), 1), D(2024, 2, 29))
        self.assertEqual(add_months(D(2024, 11, 15), 14), D(2026, 1, 15))


class MatrixStateTests(TestCase):
    def setUp(self) -> None:
        self.company = make_company()
        self.guard = f.role(self.company, "guard")
        self.clerk = f.role(self.company, "document_clerk")
        self.awareness = f.course(
            self.company, "threat_awareness", roles=[self.guard, self.clerk], refresher_months=12
        )
        self.docs = f.course(
            self.company,
            "document_review",
            roles=[self.clerk],
            criteria=["7.10"],
            refresher_months=12,
        )
        self.ana = f.employee(self.company, "Ana", "Ruiz", roles=[self.guard])

    def state(self, today: D) -> State:
        matrix = build_matrix(self.company, today=today)
        row = next(r for r in matrix.rows if r.employee == self.ana)
        cell = row.cells[matrix.courses.index(self.awareness)]
        assert cell is not None
        return cell.state

    def test_a_course_never_taken_is_missing_and_not_required_courses_are_blank(self) -> None:
        matrix = build_matrix(self.company, today=D(2025, 6, 1))
        row = matrix.rows[0]
        cells = dict(zip([c.code for c in matrix.courses], row.cells, strict=True))
        self.assertEqual(cells["threat_awareness"].state, State.MISSING)  # type: ignore[union-attr]
        self.assertIsNone(cells["document_review"])

    def test_states_follow_the_refresher_period(self) -> None:
        f.record(self.ana, self.awareness, D(2024, 6, 1))
        self.assertEqual(self.state(D(2025, 4, 30)), State.DONE)  # due 2025-06-01, 32 days
        self.assertEqual(self.state(D(2025, 5, 2)), State.DUE_SOON)  # 30 days before
        self.assertEqual(self.state(D(2025, 6, 1)), State.DUE_SOON)  # due today
        self.assertEqual(self.state(D(2025, 6, 2)), State.OVERDUE)

    def test_the_latest_completion_counts(self) -> None:
        f.record(self.ana, self.awareness, D(2023, 1, 10))
        f.record(self.ana, self.awareness, D(2025, 1, 10))
        self.assertEqual(self.state(D(2025, 6, 1)), State.DONE)

    def test_a_course_without_refresher_never_expires(self) -> None:
        self.awareness.refresher_months = 0
        self.awareness.save()
        f.record(self.ana, self.awareness, D(2015, 1, 1))
        self.assertEqual(self.state(D(2025, 6, 1)), State.DONE)

    def test_the_default_day_is_today_under_controlled_time(self) -> None:
        f.record(self.ana, self.awareness, D(2024, 6, 1))
        with time_machine.travel(datetime.datetime(2025, 5, 20, 12, tzinfo=datetime.UTC)):
            self.assertEqual(build_matrix(self.company).rows[0].cells[1].state, State.DUE_SOON)  # type: ignore[union-attr]
        with time_machine.travel(datetime.datetime(2025, 7, 1, 12, tzinfo=datetime.UTC)):
            self.assertEqual(build_matrix(self.company).rows[0].cells[1].state, State.OVERDUE)  # type: ignore[union-attr]

    def test_inactive_people_and_courses_are_left_out(self) -> None:
        f.employee(self.company, "Luis", "Gómez", roles=[self.guard]).deactivate()
        self.docs.active = False
        self.docs.save()
        matrix = build_matrix(self.company, today=D(2025, 6, 1))
        self.assertEqual([r.employee for r in matrix.rows], [self.ana])
        self.assertEqual(matrix.courses, [self.awareness])

    def test_other_companies_records_do_not_count(self) -> None:
        other = make_company("Other SA")
        stranger = f.employee(other, "X", "Y")
        f.record(stranger, f.course(other, "threat_awareness"), D(2025, 5, 1))
        matrix = build_matrix(self.company, today=D(2025, 6, 1))
        self.assertEqual(len(matrix.rows), 1)

    def test_summaries_count_current_people(self) -> None:
        luis = f.employee(self.company, "Luis", "Gómez", roles=[self.clerk])
        f.record(self.ana, self.awareness, D(2025, 1, 1))
        f.record(luis, self.awareness, D(2024, 1, 1))
        summaries = build_matrix(self.company, today=D(2025, 6, 1)).summaries()
        summary = {s.course.code: s for s in summaries if s.course}
        self.assertEqual(summary["threat_awareness"].required, 2)
        self.assertEqual(summary["threat_awareness"].counts[State.OVERDUE], 1)
        self.assertEqual(summary["threat_awareness"].rate, 50)
        self.assertEqual(summary["document_review"].rate, 0)


class RetrainingTests(TestCase):
    def setUp(self) -> None:
        self.company = make_company()
        self.guard = f.role(self.company, "guard")
        self.course = f.course(self.company, roles=[self.guard], refresher_months=12)
        self.ana = f.employee(self.company, roles=[self.guard])
        f.record(self.ana, self.course, D(2025, 3, 1))

    def cell(self, today: D):
        return build_matrix(self.company, today=today).rows[0].cells[0]

    def request(self, on: D, reason: str = "Seal procedure changed") -> None:
        Retraining.objects.create(
            company=self.company,
            course=self.course,
            employee=self.ana,
            trigger="procedure_change",
            reason=reason,
            requested_on=on,
        )

    def test_a_retraining_request_makes_the_course_due_now(self) -> None:
        self.assertEqual(self.cell(D(2025, 6, 1)).state, State.DONE)
        self.request(D(2025, 6, 1))
        cell = self.cell(D(2025, 6, 1))
        self.assertEqual((cell.state, cell.due_on), (State.DUE_SOON, D(2025, 6, 1)))
        self.assertEqual(cell.retraining, "Seal procedure changed")
        self.assertEqual(self.cell(D(2025, 6, 2)).state, State.OVERDUE)

    def test_completing_the_course_after_the_request_closes_it(self) -> None:
        self.request(D(2025, 6, 1))
        f.record(self.ana, self.course, D(2025, 6, 3))
        cell = self.cell(D(2025, 6, 10))
        self.assertEqual(
            (cell.state, cell.due_on, cell.retraining), (State.DONE, D(2026, 6, 3), "")
        )

    def test_a_request_older_than_the_last_completion_changes_nothing(self) -> None:
        self.request(D(2025, 2, 1))
        self.assertEqual(self.cell(D(2025, 6, 1)).state, State.DONE)

    def test_the_earliest_open_request_sets_the_due_date(self) -> None:
        self.request(D(2025, 6, 1), "Incident at gate 3")
        self.request(D(2025, 6, 20), "New seal supplier")
        cell = self.cell(D(2025, 6, 10))
        self.assertEqual((cell.due_on, cell.retraining), (D(2025, 6, 1), "Incident at gate 3"))


class MatrixCostTests(TestCase):
    def test_the_number_of_queries_does_not_grow_with_people(self) -> None:
        company = make_company()
        guard = f.role(company, "guard")
        courses = [f.course(company, f"c{i}", roles=[guard]) for i in range(3)]

        def add_people(n: int) -> None:
            for i in range(n):
                person = f.employee(company, f"P{i}", "X", roles=[guard])
                f.record(person, courses[0], D(2025, 1, 1))

        add_people(2)
        with self.assertNumQueries(6) as small:
            build_matrix(company, today=D(2025, 6, 1)).summaries()
        add_people(20)
        with self.assertNumQueries(len(small.captured_queries)):
            matrix = build_matrix(company, today=D(2025, 6, 1))
            matrix.summaries()
        self.assertEqual(len(matrix.rows), 22)


class TrainingCardTests(TestCase):
    def test_the_card_renders_completion_bars_for_a_company_page(self) -> None:
        from django.template import Context, Template

        company = make_company()
        guard = f.role(company, "guard")
        course = f.course(company, roles=[guard], title_en="Seal handling")
        f.record(f.employee(company, roles=[guard]), course, D(2025, 1, 1))
        f.employee(company, "Luis", "Gómez", roles=[guard])
        with time_machine.travel(datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)):
            html = Template("{% load training_card %}{% training_card company %}").render(
                Context({"company": company})
            )
        self.assertIn('data-testid="training-card"', html)
        self.assertIn("Seal handling", html)
        self.assertIn("50% (1/2)", html)
        self.assertIn('aria-label="50% complete"', html)
