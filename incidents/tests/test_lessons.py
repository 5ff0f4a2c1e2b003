"""recent_lessons(): incident lessons for the risk assessment."""

from __future__ import annotations

import datetime

from incidents.lessons import recent_lessons
from incidents.workflow import open_incident
from portal.testing import PersonaTestCase

UTC = datetime.UTC


class RecentLessonsTests(PersonaTestCase):
    def incident(self, when: datetime.datetime, lessons: str, **extra: object) -> object:
        fields: dict[str, object] = {
            "company": self.company,
            "kind": "seal_discrepancy",
            "title": "Seal mismatch",
            "description": "x",
            "occurred_at": when,
        }
        fields.update(extra)
        incident = open_incident(**fields)  # type: ignore[arg-type]
        incident.lessons_learned = lessons
        incident.save()
        return incident

    def test_lessons_since_a_date_newest_first(self) -> None:
        old = datetime.datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
        jan = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
        feb = datetime.datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
        self.incident(old, "Too old to list")
        first = self.incident(jan, "Seals were stored in an unlocked drawer.")
        second = self.incident(
            feb, "  Night guards skip the yard round.  ", kind="unauthorized_access"
        )
        self.incident(feb, "   ")  # nothing written yet
        self.incident(feb, "Other company's lesson", company=self.other_company)

        lessons = recent_lessons(self.company, since=datetime.date(2026, 1, 1))

        self.assertEqual([lesson.incident for lesson in lessons], [second, first])
        latest = lessons[0]
        self.assertEqual(latest.date, datetime.date(2026, 2, 3))
        self.assertEqual((latest.kind, latest.type), ("unauthorized_access", "Unauthorized access"))
        self.assertEqual(latest.lessons, "Night guards skip the yard round.")
        self.assertEqual(latest.url, second.get_absolute_url())  # type: ignore[attr-defined]

    def test_no_incidents_no_lessons(self) -> None:
        self.assertEqual(recent_lessons(self.company, since=datetime.date(2020, 1, 1)), [])
