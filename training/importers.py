"""Import a session's attendance from a CSV or Excel file, all or nothing.

Columns (header row, any order):
    employee_number or email   one of them identifies the attendee (at least one column)
    completed_on               optional; YYYY-MM-DD, not before the session date (default: it)
    quiz_score                 optional; a whole number 0–100
    observation                optional; met, partly or not_met

Every row is checked before anything is written; any problem refuses the whole file with
each problem named by row and column.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from personnel.models import Employee
from personnel.tables import ImportRefused, Problem, parse_date, read_table
from training.models import Observation, TrainingRecord, TrainingSession

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class AttendanceRow:
    employee: Employee
    completed_on: datetime.date
    quiz_score: int | None
    observation: str


def validate_attendance(
    session: TrainingSession, data: IO[bytes] | bytes, filename: str
) -> list[AttendanceRow]:
    table = read_table(data, filename, required=())
    if "employee_number" not in table.header and "email" not in table.header:
        raise ImportRefused(
            [
                Problem(
                    1,
                    "employee_number",
                    _("Name the attendee with an employee_number or an email column."),
                )
            ]
        )
    employees = Employee.objects.filter(company_id=session.company_id)
    by_number = {e.employee_number: e for e in employees if e.employee_number}
    by_email = {e.email.lower(): e for e in employees if e.email}
    attended = set(session.records.values_list("employee_id", flat=True))
    seen: dict[int, int] = {}
    today = timezone.localdate()
    problems: list[Problem] = []
    rows: list[AttendanceRow] = []
    for number, raw in table.rows:

        def fail(column: str, message: str, number: int = number) -> None:
            problems.append(Problem(number, column, message))

        emp_number = raw.get("employee_number", "").strip()
        email = raw.get("email", "").strip().lower()
        employee = (
            by_number.get(emp_number) if emp_number else by_email.get(email) if email else None
        )
        if employee is None:
            if emp_number or email:
                column = "employee_number" if emp_number else "email"
                fail(
                    column,
                    _("No employee of this company has “%(v)s”.") % {"v": emp_number or email},
                )
            else:
                fail("employee_number", _("Give the attendee's employee number or e-mail."))
        elif not employee.active:
            fail(
                "employee_number" if emp_number else "email",
                _("%(name)s is inactive; reactivate them before recording training.")
                % {"name": employee},
            )
        elif employee.pk in attended:
            fail(
                "employee_number" if emp_number else "email",
                _("%(name)s is already recorded as attending this session.") % {"name": employee},
            )
        elif employee.pk in seen:
            fail(
                "employee_number" if emp_number else "email",
                _("%(name)s is also on row %(row)s.")
                % {"name": employee, "row": seen[employee.pk]},
            )
        if employee is not None:
            seen.setdefault(employee.pk, number)
        completed_on = session.held_on
        text = raw.get("completed_on", "").strip()
        if text:
            day = parse_date(text)
            if day is None:
                fail(
                    "completed_on",
                    _("“%(v)s” is not a date; write it as YYYY-MM-DD.") % {"v": text},
                )
            elif day < session.held_on:
                fail(
                    "completed_on",
                    _("A record cannot be dated before its session (%(date)s).")
                    % {"date": session.held_on.isoformat()},
                )
            elif day > today:
                fail("completed_on", _("The completion date cannot be in the future."))
            else:
                completed_on = day
        score: int | None = None
        text = raw.get("quiz_score", "").strip().rstrip("%")
        if text:
            if not text.isdigit() or int(text) > 100:
                fail(
                    "quiz_score",
                    _("“%(v)s” is not a score; write a whole number from 0 to 100.") % {"v": text},
                )
            else:
                score = int(text)
        observation = raw.get("observation", "").strip().lower()
        if observation and observation not in Observation.values:
            fail(
                "observation",
                _("“%(v)s” is not accepted; write met, partly or not_met.") % {"v": observation},
            )
        if employee is not None:
            rows.append(AttendanceRow(employee, completed_on, score, observation))
    if problems:
        raise ImportRefused(problems)
    return rows


def import_attendance(
    session: TrainingSession, data: IO[bytes] | bytes, filename: str, *, by: User | None
) -> int:
    """Validate the whole file, then write one record per attendee in one transaction."""
    rows = validate_attendance(session, data, filename)
    with transaction.atomic():
        for row in rows:
            record = TrainingRecord(
                company_id=session.company_id,
                employee=row.employee,
                course_id=session.course_id,
                session=session,
                completed_on=row.completed_on,
                quiz_score=row.quiz_score,
                observation=row.observation,
                recorded_by=by,
            )
            record.full_clean()
            record.save()
    return len(rows)
