"""The attendance import of one training session (CSV or Excel), all or nothing: its
columns, the check of one row against the company's employees and the session, and the
write of one training record per attendee.

Reading, the header, empty and unparseable cells and the problems (row, column, value,
reason) are `core.importing.Importer`'s. The attendee is named by `employee_number` or
`email` (the header must have at least one of them); columns the import does not know are
ignored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importing import Column, Importer, Invalid, Problem, RowCheck, date_column
from personnel.models import Employee
from training.models import Observation, TrainingRecord, TrainingSession

if TYPE_CHECKING:
    from accounts.models import User


def _score(text: str) -> int:
    digits = text.rstrip("%")
    if not digits.isdigit() or int(digits) > 100:
        raise Invalid(
            _("“%(v)s” is not a score; write a whole number from 0 to 100.") % {"v": text}
        )
    return int(digits)


def _observation(text: str) -> str:
    value = text.lower()
    if value not in Observation.values:
        raise Invalid(_("“%(v)s” is not accepted; write met, partly or not_met.") % {"v": text})
    return value


@dataclass(frozen=True)
class AttendanceRow:
    employee: Employee
    completed_on: datetime.date
    quiz_score: int | None
    observation: str


class AttendanceImporter(Importer[AttendanceRow]):
    columns = (
        Column("employee_number", "número_empleado", help=gettext_lazy("who attended (or email)")),
        Column("email", "correo", help=gettext_lazy("who attended (or employee_number)")),
        date_column(
            "completed_on",
            "fecha_completado",
            help=gettext_lazy(
                "YYYY-MM-DD, not before the session date (default: the session date)"
            ),
        ),
        Column("quiz_score", "calificación", parse=_score, empty=None, help=gettext_lazy("0–100")),
        Column(
            "observation",
            "observación",
            parse=_observation,
            help=gettext_lazy("met, partly or not_met"),
        ),
    )
    unknown_columns = "ignore"
    template_name = "attendance-template"

    def __init__(self, session: TrainingSession, *, by: User | None = None) -> None:
        self.session = session
        self.by = by
        employees = list(Employee.objects.filter(company_id=session.company_id))
        self.by_number = {e.employee_number: e for e in employees if e.employee_number}
        self.by_email = {e.email.lower(): e for e in employees if e.email}
        self.attended = set(session.records.values_list("employee_id", flat=True))
        self.seen: dict[int, int] = {}
        self.today = timezone.localdate()

    def check_header(self, found: list[str]) -> list[Problem]:
        if "employee_number" in found or "email" in found:
            return []
        return [
            Problem(
                1,
                "employee_number",
                "",
                _("Name the attendee with an employee_number or an email column."),
            )
        ]

    def build_row(self, row: RowCheck) -> AttendanceRow | None:
        employee = self._employee(row)
        completed_on = row.values["completed_on"]
        if completed_on is None:
            completed_on = self.session.held_on
        elif completed_on < self.session.held_on:
            row.fail(
                "completed_on",
                _("A record cannot be dated before its session (%(date)s).")
                % {"date": self.session.held_on.isoformat()},
            )
        elif completed_on > self.today:
            row.fail("completed_on", _("The completion date cannot be in the future."))
        if employee is None:
            return None
        return AttendanceRow(
            employee, completed_on, row.values["quiz_score"], row.values["observation"]
        )

    def _employee(self, row: RowCheck) -> Employee | None:
        number, email = row.text["employee_number"], row.text["email"].lower()
        column = "employee_number" if number else "email"
        employee = self.by_number.get(number) if number else self.by_email.get(email)
        if employee is None:
            if number or email:
                row.fail(
                    column,
                    _("No employee of this company has “%(v)s”; check the number or e-mail.")
                    % {"v": number or email},
                )
            else:
                row.fail("employee_number", _("Give the attendee's employee number or e-mail."))
            return None
        if not employee.active:
            row.fail(
                column,
                _("%(name)s is inactive; reactivate them before recording training.")
                % {"name": employee},
            )
        elif employee.pk in self.attended:
            row.fail(
                column,
                _("%(name)s is already recorded as attending this session; delete the row.")
                % {"name": employee},
            )
        elif employee.pk in self.seen:
            row.fail(
                column,
                _("%(name)s is also on row %(row)s; keep one of the two rows.")
                % {"name": employee, "row": self.seen[employee.pk]},
            )
        self.seen.setdefault(employee.pk, row.number)
        return employee

    def write(self, rows: list[AttendanceRow]) -> int:
        for row in rows:
            record = TrainingRecord(
                company_id=self.session.company_id,
                employee=row.employee,
                course_id=self.session.course_id,
                session=self.session,
                completed_on=row.completed_on,
                quiz_score=row.quiz_score,
                observation=row.observation,
                recorded_by=self.by,
            )
            record.full_clean()
            record.save()
        return len(rows)


def import_attendance(
    session: TrainingSession, data: IO[bytes] | bytes, filename: str, *, by: User | None
) -> int:
    """Check the whole file, then write one record per attendee in one transaction; raises
    `core.importing.ImportRefused` (nothing written) when any row has a problem."""
    count: int = AttendanceImporter(session, by=by).run(data, filename)
    return count
