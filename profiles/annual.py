"""The annual security-profile review: when it is due and where the company stands.

CBP requires a yearly review of the security profile on the account's anniversary date and
notifies about 90 days before (domain.md §5.2 item 6). The review of year *k* is due on the
*k*-th anniversary; its window opens `WINDOW_DAYS` before. The officer either attests
"reviewed, no change" or submits the changes; a submission made before the window opened
does not count as that year's review. A review done after the due date counts but is
recorded as late. Once the next year's window opens, a missed review stays missed.

The anniversary comes from one place, `anniversary()` (and `cycles()` for many companies
at once): until certification is recorded by the program-office issue it is the date
the application was submitted; swap those two functions to use the certification date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone

from companies.models import Company
from core import reminders
from core.reminders import stage_for
from profiles.models import AnnualReview

WINDOW_DAYS = 90
OVERDUE = reminders.OVERDUE
REMINDER_DAYS = (90, 60, 30, 14, 7, 1)


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


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


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


def due_date(anniv: datetime.date, today: datetime.date) -> datetime.date:
    """The due date of the review year that matters on `today`: the latest one whose
    window has opened (or the first, before any opened)."""
    year = 1
    while add_years(anniv, year + 1) - datetime.timedelta(days=WINDOW_DAYS) <= today:
        year += 1
    return add_years(anniv, year)


def cycle_for(
    company: Company, anniv: datetime.date | None, today: datetime.date | None = None
) -> ReviewCycle | None:
    """The review year that matters on `today` (see `due_date`)."""
    if anniv is None:
        return None
    today = today or timezone.localdate()
    due = due_date(anniv, today)
    review = AnnualReview.objects.filter(company=company, due_date=due).first()
    return ReviewCycle(year=due.year - anniv.year, due_date=due, today=today, review=review)


def current_cycle(company: Company, today: datetime.date | None = None) -> ReviewCycle | None:
    return cycle_for(company, anniversary(company), today)


def _anniversary_of(company: Company) -> datetime.date | None:
    """`anniversary()` for a company fetched by `cycles()` (application and certification
    joined): the certification date once certified, else the application's submission."""
    certification = getattr(company, "certification", None)
    certified_at = getattr(certification, "certified_at", None)
    if certified_at:
        return timezone.localdate(certified_at)
    submitted_at = getattr(company.current_application(), "submitted_at", None)
    return timezone.localdate(submitted_at) if submitted_at else None


def cycles(
    companies: models.QuerySet[Company], today: datetime.date
) -> Iterator[tuple[Company, ReviewCycle]]:
    """The review cycle of each of `companies` that has an anniversary, in three queries
    whatever their number (the reminder registry and task lists ask for many at once)."""
    found = companies.filter(
        Q(application__submitted_at__isnull=False) | Q(certification__certified_at__isnull=False)
    ).select_related("application", "certification")
    reviews = {
        (r.company_id, r.due_date): r
        for r in AnnualReview.objects.filter(company__in=found.values("pk"))
    }
    for company in found:
        anniv = _anniversary_of(company)
        if anniv is not None:
            due = due_date(anniv, today)
            yield (
                company,
                ReviewCycle(due.year - anniv.year, due, today, reviews.get((company.pk, due))),
            )
