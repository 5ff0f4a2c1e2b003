"""Business verbs of the personnel app that change several records at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from accounts.models import User
from personnel.models import Employee, Screening, SecurityRole, Separation


def save_employee(employee: Employee, roles: Iterable[SecurityRole] | None = None) -> Employee:
    """Save a new or edited employee (validated by its form or serializer) with their
    security roles (`None` leaves the roles as they are); the page and the API both save
    employees here."""
    with transaction.atomic():
        employee.save()
        if roles is not None:
            employee.roles.set(roles)
    return employee


def record_screening(screening: Screening, by: User | None = None) -> Screening:
    """Save a new or edited screening record (validated by its form or serializer); a new
    one records who entered it. The page and the API both save screenings here."""
    with transaction.atomic():
        if screening.pk is None and by is not None and screening.recorded_by_id is None:
            screening.recorded_by = by
        screening.save()
    return screening


def record_separation(form: Any) -> Separation:
    """Save the separation checklist and deactivate the employee from the last working
    day, in one transaction: a separated person must leave the training matrix and the
    reminders at the same time as their access is recorded as removed."""
    with transaction.atomic():
        separation: Separation = form.save()
        employee = separation.employee
        employee.deactivate(on=separation.separated_on)
    return separation
