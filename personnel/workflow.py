"""Business verbs of the personnel app that change several records at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from personnel.models import Separation


def record_separation(form: Any) -> Separation:
    """Save the separation checklist and deactivate the employee from the last working
    day, in one transaction: a separated person must leave the training matrix and the
    reminders at the same time as their access is recorded as removed."""
    with transaction.atomic():
        separation: Separation = form.save()
        employee = separation.employee
        employee.deactivate(on=separation.separated_on)
    return separation
