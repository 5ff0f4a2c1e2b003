"""Counts that show how far personnel security reaches (MSC 11.1, 11.2, 11.5, 10.1, 4.7).

Only counts leave this module: no names, no outcomes, so anyone who may view the company
may see them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from companies.models import Company
from personnel.models import ConductAcknowledgement, Employee, Screening, ScreeningKind, Separation


@dataclass(frozen=True)
class Coverage:
    covered: int
    total: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.covered / self.total) if self.total else None


def _active(company: Company) -> int:
    return Employee.objects.filter(company=company, active=True).count()


def screened(company: Company, kinds: tuple[str, ...]) -> Coverage:
    """Active employees with at least one check of these kinds."""
    checks = Screening.objects.filter(employee=OuterRef("pk"), kind__in=kinds)
    covered = Employee.objects.filter(company=company, active=True).filter(Exists(checks)).count()
    return Coverage(covered, _active(company))


def pre_employment(company: Company) -> Coverage:
    return screened(company, (ScreeningKind.PRE_EMPLOYMENT,))


def background(company: Company) -> Coverage:
    return screened(company, (ScreeningKind.BACKGROUND, ScreeningKind.RECHECK))


def rechecks_overdue(company: Company, today: datetime.date | None = None) -> int:
    """Active employees whose latest check with a re-check date is past it."""
    today = today or timezone.localdate()
    overdue = 0
    latest: dict[int, datetime.date] = {}
    for employee_id, due_on in (
        Screening.objects.filter(company=company, employee__active=True, recheck_due__isnull=False)
        .order_by("checked_on", "pk")
        .values_list("employee_id", "recheck_due")
    ):
        if due_on is not None:
            latest[employee_id] = due_on
    for due in latest.values():
        overdue += due < today
    return overdue


def conduct_acknowledged(company: Company) -> Coverage:
    acks = ConductAcknowledgement.objects.filter(employee=OuterRef("pk"))
    covered = Employee.objects.filter(company=company, active=True).filter(Exists(acks)).count()
    return Coverage(covered, _active(company))


def separations_complete(company: Company) -> Coverage:
    """Separations whose checklist shows every access removed."""
    separations = list(Separation.objects.filter(company=company))
    return Coverage(sum(s.complete for s in separations), len(separations))
