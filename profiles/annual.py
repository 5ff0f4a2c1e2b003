"""The annual security-profile review: when it is due and where the company stands.

CBP requires a yearly review of the security profile on the account's anniversary date and
notifies about 90 days before (domain.md §5.2 item 6). The review of year *k* is due on the
*k*-th anniversary; its window opens `WINDOW_DAYS` before. The officer either attests
"reviewed, no change" or submits the changes; a submission made before the window opened
does not count as that year's review. A review done after the due date counts but is
recorded as late. Once the next year's window opens, a missed review stays missed.

The anniversary comes from one place, `anniversary()` (and `anniversaries()` for the daily
reminder run): until certification is recorded by the program-office issue it is the date
the application was submitted; swap those two functions to use the certification date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from companies.models import Company
from profiles.models import AnnualReview

WINDOW_DAYS = 90
REMINDER_DAYS = (90, 60, 30, 14, 7, 1)
OVERDUE = "overdue"


def anniversary(company: Company) -> datetime.date | None:
    """The date the company's annual review recurs on, or None while there is none: the
    certification date once the company is certified, until then the date its application
    was submitted."""
    # The certification (its own app, above profiles) is the company's one-to-one record,
    # read through the company as `Company.current_application` reads the application.
    certification = getattr(company, "certification", None)
    certified_at = getattr(certification, "certified_at", None)
    if certified_at is not None:
        return timezone.localdate(certified_at)
    application = company.current_application()
    submitted_at = getattr(application, "submitted_at", None)
    return timezone.localdate(submitted_at) if submitted_at else None


def anniversaries() -> Iterator[tuple[Company, datetime.date]]:
    """Every company that has an anniversary, with it (same source as `anniversary`)."""
    companies = Company.objects.filter(
        Q(application__submitted_at__isnull=False) | Q(certification__certified_at__isnull=False)
    ).select_related("application")
    for company in companies.iterator(chunk_size=500):
        when = anniversary(company)
        if when is not None:
            yield company, when


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def stage_for(days_left: int, thresholds: tuple[int, ...]) -> str | None:
    """The reminder stage reached with `days_left` days to the due date: the smallest
    threshold not below it ("90", "60", … "1"), OVERDUE after the date, None before the
    first threshold. A missed daily run therefore sends the stage reached, not every
    stage it missed."""
    if days_left < 0:
        return OVERDUE
    for threshold in sorted(thresholds):
        if days_left <= threshold:
            return str(threshold)
    return None


def reminder_stage(days_left: int) -> str | None:
    return stage_for(days_left, REMINDER_DAYS)


@dataclass(frozen=True)
class ReviewCycle:
    """One year's review as of `today`."""

    year: int
    due_date: datetime.date
    today: datetime.date
    review: AnnualReview | None

    @property
    def opens_on(self) -> datetime.date:
        return self.due_date - datetime.timedelta(days=WINDOW_DAYS)

    @property
    def days_left(self) -> int:
        return (self.due_date - self.today).days

    @property
    def status(self) -> str:
        if self.review is not None:
            return "done"
        if self.today < self.opens_on:
            return "upcoming"
        if self.today <= self.due_date:
            return "open"
        return OVERDUE

    @property
    def accepts_review(self) -> bool:
        """A submission or a "no change" attestation now counts as this year's review."""
        return self.status in ("open", OVERDUE)

    @property
    def reminder_stage(self) -> str | None:
        if not self.accepts_review:
            return None
        return reminder_stage(self.days_left)


def cycle_for(
    company: Company, anniv: datetime.date | None, today: datetime.date | None = None
) -> ReviewCycle | None:
    """The review year that matters on `today`: the latest one whose window has opened
    (or the first, before any opened)."""
    if anniv is None:
        return None
    today = today or timezone.localdate()
    year = 1
    while add_years(anniv, year + 1) - datetime.timedelta(days=WINDOW_DAYS) <= today:
        year += 1
    due = add_years(anniv, year)
    review = AnnualReview.objects.filter(company=company, due_date=due).first()
    return ReviewCycle(year=year, due_date=due, today=today, review=review)


def current_cycle(company: Company, today: datetime.date | None = None) -> ReviewCycle | None:
    return cycle_for(company, anniversary(company), today)
