"""Operations figures per month: the share of outbound loads with a complete inspection,
pest findings, missed supervisor sign-offs and seal discrepancies. A few grouped queries
for the whole range, whatever the number of inspections."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from companies.models import Company
from inspections.choices import Direction
from inspections.models import SIGN_OFF_WITHIN, Inspection


@dataclass
class Period:
    start: datetime.date
    outbound: int = 0
    outbound_complete: int = 0
    inspections: int = 0
    pest_findings: int = 0
    missed_signoffs: int = 0
    seal_discrepancies: int = 0

    @property
    def complete_share(self) -> float | None:
        """Percent of outbound loads with a complete inspection (None: no outbound loads)."""
        if not self.outbound:
            return None
        return round(100 * self.outbound_complete / self.outbound, 1)


def month_starts(end: datetime.date, months: int) -> list[datetime.date]:
    starts = []
    year, month = end.year, end.month
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(starts)


def _bounds(starts: list[datetime.date]) -> list[tuple[datetime.datetime, datetime.datetime]]:
    edges = [datetime.datetime.combine(s, datetime.time.min, tzinfo=datetime.UTC) for s in starts]
    last = starts[-1]
    following = datetime.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    edges.append(datetime.datetime.combine(following, datetime.time.min, tzinfo=datetime.UTC))
    return list(zip(edges, edges[1:], strict=False))


def monthly(company: Company, *, end: datetime.date, months: int = 6) -> list[Period]:
    """The figures of the `months` months ending with `end`'s month, oldest first."""
    starts = month_starts(end, months)
    bounds = _bounds(starts)
    now = datetime.datetime.now(datetime.UTC)
    outbound = Q(direction=Direction.OUTBOUND)
    complete = Q(points_open=0, pest_checked=True, vvtt_done=True)
    late = Q(signed_off_at__isnull=True, performed_at__lt=now - SIGN_OFF_WITHIN) | Q(
        signed_late=True
    )
    figures = {
        "total": Count("pk"),
        "outbound": Count("pk", filter=outbound),
        "complete": Count("pk", filter=outbound & complete),
        "pests": Count("pk", filter=Q(pest_found=True)),
        "missed": Count("pk", filter=late),
    }
    company_rows = Inspection.objects.filter(company=company)
    periods = []
    for start, (lo, hi) in zip(starts, bounds, strict=True):
        # One query per month over the (company, performed_at) index: the database
        # reads only that month's rows and counts them in its own code.
        row = company_rows.filter(performed_at__gte=lo, performed_at__lt=hi).aggregate(**figures)
        periods.append(
            Period(
                start=start,
                inspections=row["total"],
                outbound=row["outbound"],
                outbound_complete=row["complete"],
                pest_findings=row["pests"],
                missed_signoffs=row["missed"],
            )
        )
    by_month = dict(seal_discrepancies_by_month(company, bounds))
    for period in periods:
        period.seal_discrepancies = by_month.get(period.start, 0)
    return periods


def seal_discrepancies_by_month(
    company: Company, bounds: list[tuple[datetime.datetime, datetime.datetime]]
) -> list[tuple[datetime.date, int]]:
    from seals.choices import EventKind
    from seals.models import SealEvent

    row = SealEvent.objects.filter(
        seal__company=company,
        kind=EventKind.DISCREPANCY,
        at__gte=bounds[0][0],
        at__lt=bounds[-1][1],
    ).aggregate(
        **{
            f"n_{i}": Count("pk", filter=Q(at__gte=lo, at__lt=hi))
            for i, (lo, hi) in enumerate(bounds)
        }
    )
    return [(lo.date(), row[f"n_{i}"]) for i, (lo, _hi) in enumerate(bounds)]
