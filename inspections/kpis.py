"""Operations figures per month: the share of outbound loads with a complete inspection,
pest findings, missed supervisor sign-offs and seal discrepancies. Two queries for the
whole range (inspections, seal discrepancies), whatever the number of months or
inspections.

At 200,000 inspections the two queries take about 100 ms on PostgreSQL, for figures that
change when an inspection or a seal event is recorded, so a company's figures are kept
(`core.kept`) per day for two minutes and forgotten on any saved or deleted inspection or
seal event of the company (`connect`). A sign-off that becomes late while they are kept
shows within those two minutes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Q, Value

from companies.models import Company
from core.kept import Keeper
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


keeper = Keeper("operations")


def connect() -> None:
    """Forget a company's figures whenever an inspection or a seal event changes."""
    from seals.models import SealEvent

    keeper.watch(Inspection)
    keeper.watch(SealEvent, company_of=lambda event: event.seal.company_id)


def monthly(company: Company, *, end: datetime.date, months: int = 12) -> list[Period]:
    """The figures of the `months` months ending with `end`'s month, oldest first (kept:
    see the module's docstring)."""
    return keeper.kept(
        "monthly", [company.pk], end, [months], lambda: _monthly(company, end, months)
    )


def _monthly(company: Company, end: datetime.date, months: int) -> list[Period]:
    starts = month_starts(end, months)
    bounds = _bounds(starts)
    now = datetime.datetime.now(datetime.UTC)
    outbound = Q(direction=Direction.OUTBOUND)
    complete = Q(points_open=0, pest_checked=True, vvtt_done=True)
    late = Q(signed_off_at__isnull=True, performed_at__lt=now - SIGN_OFF_WITHIN) | Q(
        signed_late=True
    )
    # Counted over columns of the covering index (`*`, and `company`, which is never null):
    # counting `pk` made PostgreSQL visit every row in the table, since its indexes do not
    # carry the id (SQLite's carry the rowid, so it never showed there).
    figures = {
        "total": Count("*"),
        "outbound": Count("company", filter=outbound),
        "complete": Count("company", filter=outbound & complete),
        "pests": Count("company", filter=Q(pest_found=True)),
        "missed": Count("company", filter=late),
    }
    company_rows = Inspection.objects.filter(company=company).order_by()
    # One statement whatever the number of months: a UNION ALL of one aggregate per month.
    # Each branch reads only that month's rows from the (company, performed_at, ...)
    # covering index, as separate per-month queries did, without a round trip per month.
    branches = [
        company_rows.filter(performed_at__gte=lo, performed_at__lt=hi)
        .values(month=Value(i, output_field=IntegerField()))
        .annotate(**figures)
        for i, (lo, hi) in enumerate(bounds)
    ]
    combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    rows: dict[int, dict[str, Any]] = {row["month"]: dict(row) for row in combined}
    periods = [
        Period(
            start=start,
            inspections=rows[i]["total"],
            outbound=rows[i]["outbound"],
            outbound_complete=rows[i]["complete"],
            pest_findings=rows[i]["pests"],
            missed_signoffs=rows[i]["missed"],
        )
        for i, start in enumerate(starts)
    ]
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


def chart_data(periods: list[Period]) -> dict[str, list[Any]]:
    """The figures as series for the operations charts (one value per month, oldest first;
    None where a share has no outbound loads to count)."""
    return {
        "months": [p.start.strftime("%Y-%m") for p in periods],
        "complete_share": [p.complete_share for p in periods],
        "seal_discrepancies": [p.seal_discrepancies for p in periods],
        "pest_findings": [p.pest_findings for p in periods],
        "missed_signoffs": [p.missed_signoffs for p in periods],
    }
