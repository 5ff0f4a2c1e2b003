"""evidence_for(): the figures the security profile shows beside each criterion."""

from __future__ import annotations

import datetime

import time_machine
from django.test import TestCase

from personnel.models import ConductAcknowledgement, Screening, Separation
from portal.testing import make_company
from training.evidence import EvidenceItem, criteria_with_evidence, evidence_for
from training.models import CultureRecord, Retraining
from training.tests import factories as f

D = datetime.date


@time_machine.travel(datetime.datetime(2025, 6, 10, 15, tzinfo=datetime.UTC), tick=False)
class EvidenceTests(TestCase):
    def setUp(self) -> None:
        self.company = make_company()
        guard = f.role(self.company, "guard")
        self.inspection = f.course(
            self.company,
            "conveyance_inspection",
            roles=[guard],
            criteria=["12.2"],
            title_en="Conveyance inspection",
        )
        self.people = [f.employee(self.company, n, "P", roles=[guard]) for n in "ABCD"]
        f.record(self.people[0], self.inspection, D(2025, 1, 1), quiz_score=90)
        f.record(self.people[1], self.inspection, D(2025, 1, 1), quiz_score=50)
        f.record(self.people[2], self.inspection, D(2024, 1, 1))  # overdue

    def figures(self, criterion: str) -> dict[str, str]:
        items = evidence_for(self.company, criterion)
        self.assertTrue(all(isinstance(i, EvidenceItem) and i.url.startswith("/") for i in items))
        return {i.label: i.figure for i in items}

    def test_course_completion_appears_on_its_criteria(self) -> None:
        figures = self.figures("12.2")
        self.assertEqual(
            figures["Training completion: Conveyance inspection"], "50% current (2 of 4 people)"
        )
        self.assertIn("Retraining after incidents or procedure changes (last 12 months)", figures)
        self.assertEqual(self.figures("12.7"), {})
        self.assertEqual(evidence_for(self.company, "99.9"), [])

    def test_retraining_and_effectiveness(self) -> None:
        Retraining.objects.create(
            company=self.company,
            course=self.inspection,
            employee=self.people[0],
            trigger="incident",
            reason="x",
        )
        self.assertEqual(
            self.figures("12.2")[
                "Retraining after incidents or procedure changes (last 12 months)"
            ],
            "1 person",
        )
        self.assertEqual(
            self.figures("12.4"),
            {"Training met its objectives: Conveyance inspection": "50% of 2 measured"},
        )

    def test_screening_and_conduct_coverage(self) -> None:
        a, b = self.people[:2]
        Screening.objects.create(
            company=self.company,
            employee=a,
            kind="pre_employment",
            checked_items="x",
            checked_on=D(2024, 1, 1),
        )
        Screening.objects.create(
            company=self.company,
            employee=b,
            kind="background",
            checked_items="x",
            checked_on=D(2023, 1, 1),
            recheck_due=D(2025, 1, 1),
        )
        ConductAcknowledgement.objects.create(
            company=self.company, employee=a, code_version="v1", acknowledged_on=D(2024, 1, 1)
        )
        self.people[3].deactivate()
        self.assertEqual(
            self.figures("11.1")["Pre-employment verification"],
            "33% of active employees (1 of 3) with a pre-employment verification",
        )
        background = self.figures("11.2")
        self.assertEqual(
            background["Background checks"],
            "33% of active employees (1 of 3) with a background check",
        )
        self.assertEqual(background["Periodic re-checks overdue"], "1")
        self.assertEqual(
            self.figures("11.5")["Code of conduct acknowledged"],
            "33% of active employees (1 of 3) who acknowledged the code",
        )
        Separation.objects.create(
            company=self.company,
            employee=self.people[3],
            separated_on=D(2025, 6, 1),
            badges_returned=True,
        )
        self.assertEqual(
            self.figures("10.1")["Access removed when people leave"],
            "0 of 1 separations with all access removed",
        )

    def test_culture_records(self) -> None:
        self.assertEqual(
            self.figures("1.1"), {"Senior-management statement of support": "not recorded"}
        )
        CultureRecord.objects.create(
            company=self.company,
            kind="review",
            title="2025 review",
            dated=D(2025, 3, 1),
            people="CEO, security team",
        )
        for criterion in ("1.3", "1.4"):
            self.assertEqual(
                self.figures(criterion),
                {"Yearly security program review": "2025-03-01, 0 evidence files"},
            )

    def test_criteria_with_evidence(self) -> None:
        ids = criteria_with_evidence(self.company)
        self.assertTrue({"12.2", "11.1", "1.1", "12.4"} <= ids)
