"""Whether training met its objectives, per course (MSC 12.4).

A record is measured when it has a quiz score or an observed result. It counts as
effective when the score reaches the course's pass mark, or, without a score, when the
observer judged the objectives met. The figures cover all records of the course, current
and past, so a course that keeps failing shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q

from training.models import Course, Observation, TrainingRecord


@dataclass(frozen=True)
class Effectiveness:
    records: int
    measured: int
    effective: int
    average_score: float | None

    @property
    def rate(self) -> int | None:
        """Percentage of measured records that met the objectives."""
        return round(100 * self.effective / self.measured) if self.measured else None


SCORED = Q(quiz_score__isnull=False)
OBSERVED = Q(quiz_score__isnull=True) & ~Q(observation="")
EFFECTIVE = (SCORED & Q(quiz_score__gte=F("course__pass_mark"))) | (
    Q(quiz_score__isnull=True) & Q(observation=Observation.MET)
)


def effectiveness(courses: Iterable[Course]) -> dict[int, Effectiveness]:
    """The measure of each course, keyed by course id (every course gets an entry)."""
    ids = [c.pk for c in courses]
    result = {pk: Effectiveness(0, 0, 0, None) for pk in ids}
    rows = (
        TrainingRecord.objects.filter(course_id__in=ids)
        .values("course_id")
        .annotate(
            n_records=Count("pk"),
            n_measured=Count("pk", filter=SCORED | OBSERVED),
            n_effective=Count("pk", filter=EFFECTIVE),
            average=Avg("quiz_score"),
        )
    )
    for row in rows:
        average = row["average"]
        result[row["course_id"]] = Effectiveness(
            records=row["n_records"],
            measured=row["n_measured"],
            effective=row["n_effective"],
            average_score=round(float(average), 1) if average is not None else None,
        )
    return result
