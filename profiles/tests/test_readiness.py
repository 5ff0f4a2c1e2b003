"""The readiness formula and the gap list."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.test import SimpleTestCase
from django.urls import reverse

from catalogue.models import Catalogue
from profiles.exports import gaps
from profiles.models import SecurityProfile
from profiles.readiness import compute_readiness, percent
from profiles.tests.factories import ProfilesTestCase, answer, make_catalogue


@dataclass
class FakeRow:
    criterion: Any
    requirement: str
    status: str


def row(ref: str, requirement: str, status: str) -> FakeRow:
    number = int(ref.split(".")[0])
    criterion = SimpleNamespace(
        ref_id=ref, category_number=number, category_name=f"Cat {number}", focus_area="F"
    )
    return FakeRow(criterion, requirement, status)


class FormulaTests(SimpleTestCase):
    def test_must_weighs_three_times_a_should(self) -> None:
        # Must implemented (3 of 3) + Should not implemented (0 of 1) = 75 %.
        result = compute_readiness(
            [row("1.1", "must", "implemented"), row("1.2", "should", "not_implemented")]
        )
        self.assertEqual(result.overall, 75)
        # The other way round: 1 of 4 = 25 %.
        result = compute_readiness(
            [row("1.1", "must", "not_implemented"), row("1.2", "should", "implemented")]
        )
        self.assertEqual(result.overall, 25)

    def test_partly_earns_half_and_unanswered_nothing(self) -> None:
        result = compute_readiness([row("1.1", "must", "partly"), row("1.2", "must", "")])
        self.assertEqual(result.overall, 25)  # 1.5 of 6

    def test_not_applicable_is_left_out(self) -> None:
        result = compute_readiness(
            [row("1.1", "must", "not_applicable"), row("1.2", "should", "implemented")]
        )
        self.assertEqual(result.overall, 100)
        self.assertEqual(result.musts_unmet, 0)
        only_na = compute_readiness([row("1.1", "must", "not_applicable")])
        self.assertIsNone(only_na.overall)

    def test_overall_is_computed_over_all_criteria_not_averaged(self) -> None:
        rows = [
            row("1.1", "should", "implemented"),  # category 1: 100 %
            row("2.1", "must", "not_implemented"),  # category 2: 0 %
            row("2.2", "must", "not_implemented"),
        ]
        result = compute_readiness(rows)
        self.assertEqual([c.score for c in result.categories], [100, 0])
        self.assertEqual(result.overall, 14)  # 1 of 7, not (100 + 0) / 2
        self.assertEqual(result.categories[1].musts_unmet, 2)

    def test_percent_rounds_half_up(self) -> None:
        from fractions import Fraction

        self.assertEqual(percent(Fraction(1, 8)), 13)  # 12.5 → 13
        self.assertEqual(percent(Fraction(5, 8)), 63)  # 62.5 → 63 (not banker's 62)

    def test_progress_counts_any_answer(self) -> None:
        result = compute_readiness([row("1.1", "must", "not_applicable"), row("1.2", "must", "")])
        self.assertEqual(result.progress, 50)
        self.assertEqual(result.categories[0].progress, 50)


class GapReportTests(ProfilesTestCase):
    catalogue: Catalogue
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        cls.profile = SecurityProfile.start(cls.company)
        answer(cls.profile, "1.1", status="not_implemented")  # should
        answer(
            cls.profile, "1.2", status="partly", owner=cls.users["admin"], due_date="2031-03-01"
        )  # must
        answer(cls.profile, "3.1", status="implemented")  # must, met
        answer(
            cls.profile,
            "4.1",
            status="not_implemented",
            owner=cls.users["user"],
            due_date="2030-06-01",
        )  # must
        answer(cls.profile, "4.2", status="not_applicable", na_reason="No IT")  # should, met

    def test_unmet_musts_come_first_with_owners_and_due_dates(self) -> None:
        order = [r.criterion.ref_id for r in gaps(self.profile.rows())]
        self.assertEqual(order, ["4.1", "1.2", "1.1"])

    def test_the_page_shows_chart_formula_and_gaps(self) -> None:
        self.login("viewer")
        page = self.client.get(reverse("profiles:gap-report", args=[self.company.pk]))
        self.assertContains(page, 'data-testid="readiness-chart"')
        self.assertContains(page, "Must = 3, Should = 1")
        # 1.1 should 0/1, 1.2 must 1.5/3, 3.1 must 3/3, 4.1 must 0/3; 4.2 left out: 4.5/10.
        self.assertEqual(page.context["readiness"].overall, 45)
        table = page.content.decode().split('data-testid="gap-table"')[1]
        self.assertLess(table.index(">4.1<"), table.index(">1.2<"))
        self.assertLess(table.index(">1.2<"), table.index(">1.1<"))
        self.assertIn("admin@acme.test", table)
