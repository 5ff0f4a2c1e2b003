"""Operations figures per month: the share of outbound loads with a complete inspection,
pest findings, missed supervisor sign-offs and seal discrepancies. A few grouped queries
for the whole range, whatever the number of inspections."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

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


def _key(value: datetime.date | datetime.datetime) -> datetime.date:
    return datetime.date(value.year, value.month, 1)


def monthly(company: Company, *, end: datetime.date, months: int = 6) -> list[Period]:
    starts = month_starts(end, months)
    periods = {s: Period(start=s) for s in starts}
    first = datetime.datetime.combine(starts[0], datetime.time.min, tzinfo=datetime.UTC)
    now = datetime.datetime.now(datetime.UTC)
    complete = Q(points_open=0, pest_checked=True, vvtt_done=True)
    late = Q(signed_off_at__isnull=True, performed_at__lt=now - SIGN_OFF_WITHIN) | Q(
        signed_off_at__gt=F("performed_at") + SIGN_OFF_WITHIN
    )
    rows = (
        Inspection.objects.filter(company=company, performed_at__gte=first)
        .annotate(month=TruncMonth("performed_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            outbound=Count("pk", filter=Q(direction=Direction.OUTBOUND)),
            outbound_complete=Count("pk", filter=Q(direction=Direction.OUTBOUND) & complete),
            pests=Count("pk", filter=Q(pest_found=True)),
            missed=Count("pk", filter=late),
        )
    )
    for row in rows:
        period = periods.get(_key(row["month"]))
        if period is None:
            continue
        period.inspections = row["total"]
        period.outbound = row["outbound"]
        period.outbound_complete = row["outbound_complete"]
        period.pest_findings = row["pests"]
        period.missed_signoffs = row["missed"]
    for month, count in seal_discrepancies_by_month(company, first):
        if month in periods:
            periods[month].seal_discrepancies = count
    return [periods[s] for s in starts]


def seal_discrepancies_by_month(
    company: Company, since: datetime.datetime
) -> list[tuple[datetime.date, int]]:
    from seals.choices import EventKind
    from seals.models import SealEvent

    rows = (
        SealEvent.objects.filter(seal__company=company, kind=EventKind.DISCREPANCY, at__gte=since)
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    return [(_key(r["month"]), r["n"]) for r in rows]
