"""Business verbs of the training app that write several records at once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.refusals import Invalid
from personnel.models import Employee, SecurityRole
from training.models import Course, Retraining, TrainingRecord, TrainingSession

if TYPE_CHECKING:
    from accounts.models import User


class AlreadyRecorded(Invalid):
    """The person already has a record for this session."""

    code = "already_recorded"


def record_training(record: TrainingRecord) -> TrainingRecord:
    """Save one person's training record (validated by its serializer or form). A record of
    a session is checked and saved under the session's lock, as `record_attendance` does,
    so a person gets one record per session even when two requests race."""
    with transaction.atomic():
        if record.session_id is not None:
            TrainingSession.objects.select_for_update().filter(pk=record.session_id).first()
            if TrainingRecord.objects.filter(
                session_id=record.session_id, employee_id=record.employee_id
            ).exists():
                raise AlreadyRecorded(_("This person is already recorded for the session."))
        record.save()
    return record


def sign_record(record: TrainingRecord, signature: File[bytes]) -> TrainingRecord:
    """Store the attendee's on-screen signature (a checked PNG) on `record`, replacing an
    earlier one; the record row is saved with it, so its history shows the signing."""
    with transaction.atomic():
        record.signature.save(signature.name or f"signature-{record.pk}.png", signature)
    return record


def record_attendance(
    session: TrainingSession,
    employees: Iterable[Employee],
    *,
    completed_on: datetime.date,
    by: User | None,
    quiz_score: int | None = None,
    observation: str = "",
) -> list[TrainingRecord]:
    """Give each attendee a training record for the session, in one transaction.

    People who already have a record for this session are skipped, so a repeated
    submission creates nothing twice. Every record is validated like a form would
    (same company, not dated before the session) before it is saved."""
    created: list[TrainingRecord] = []
    with transaction.atomic():
        # Lock the session so two concurrent submissions cannot both pass the check below.
        TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
        attended = set(session.records.values_list("employee_id", flat=True))
        for employee in employees:
            if employee.pk in attended:
                continue
            record = TrainingRecord(
                company_id=session.company_id,
                employee=employee,
                course_id=session.course_id,
                session=session,
                completed_on=completed_on,
                quiz_score=quiz_score,
                observation=observation or "",
                recorded_by=by,
            )
            record.full_clean()
            record.save()
            attended.add(employee.pk)
            created.append(record)
    return created


def request_retraining(
    course: Course,
    *,
    roles: Iterable[SecurityRole] = (),
    employees: Iterable[Employee] = (),
    trigger: str,
    reason: str,
    by: User | None,
    on: datetime.date | None = None,
) -> int:
    """Mark the course due now for everyone active holding one of `roles` and for
    `employees` (MSC 12.2: after an incident or a procedure change). Returns how many people
    it now applies to; asking twice on the same day changes nothing."""
    on = on or timezone.localdate()
    role_ids = [r.pk for r in roles]
    people = {
        e.pk: e
        for e in Employee.objects.filter(
            company_id=course.company_id, active=True, roles__in=role_ids
        ).distinct()
    }
    people.update({e.pk: e for e in employees if e.company_id == course.company_id and e.active})
    with transaction.atomic():
        for employee in people.values():
            Retraining.objects.get_or_create(
                company_id=course.company_id,
                course=course,
                employee=employee,
                requested_on=on,
                defaults={"trigger": trigger, "reason": reason, "requested_by": by},
            )
    return len(people)
