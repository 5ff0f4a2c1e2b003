"""Import employees from a CSV or Excel file, all or nothing.

Columns (header row, any order, lower-case names):
    first_name, last_name             required
    employee_number                   optional; an employee with this number is updated
                                      (cells left empty keep what is stored)
    email, job_title, manager_email   optional
    facility                          optional; site name or city of one of the company addresses
    roles                             optional; role codes or names separated by ";"
    hire_date                         optional; YYYY-MM-DD

Every row is checked before anything is written; any problem refuses the whole file with
each problem named by row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Address, Company
from personnel.models import Employee, SecurityRole
from personnel.tables import ImportRefused, Problem, parse_date, read_table

REQUIRED = ("first_name", "last_name")
OPTIONAL = (
    "employee_number",
    "email",
    "job_title",
    "manager_email",
    "facility",
    "roles",
    "hire_date",
)


@dataclass
class EmployeeRow:
    number: int
    values: dict[str, Any]
    roles: list[SecurityRole] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _facilities(company: Company) -> dict[str, list[Address]]:
    index: dict[str, list[Address]] = {}
    for address in Address.objects.filter(company=company):
        keys = {address.city.strip().lower()}
        if address.name:
            keys = {address.name.strip().lower()}
        for key in keys:
            index.setdefault(key, []).append(address)
    return index


def validate_employees(
    company: Company, data: IO[bytes] | bytes, filename: str
) -> list[EmployeeRow]:
    table = read_table(data, filename, required=REQUIRED)
    problems: list[Problem] = []
    facilities = _facilities(company)
    roles: dict[str, SecurityRole] = {}
    for role in SecurityRole.objects.filter(company=company):
        roles[role.code.lower()] = role
        roles[role.name_en.strip().lower()] = role
        if role.name_es:
            roles[role.name_es.strip().lower()] = role
    seen_numbers: dict[str, int] = {}
    rows: list[EmployeeRow] = []
    for number, raw in table.rows:

        def fail(column: str, message: str, number: int = number) -> None:
            problems.append(Problem(number, column, message))

        values: dict[str, Any] = {}
        for column in REQUIRED:
            values[column] = raw.get(column, "").strip()
            if not values[column]:
                fail(column, _("Required; this row leaves it empty."))
            elif len(values[column]) > 100:
                fail(column, _("At most 100 characters."))
        emp_number = raw.get("employee_number", "").strip()
        if emp_number:
            if emp_number in seen_numbers:
                fail(
                    "employee_number",
                    _("Number %(n)s is also on row %(row)s; each number once.")
                    % {"n": emp_number, "row": seen_numbers[emp_number]},
                )
            seen_numbers[emp_number] = number
        values["employee_number"] = emp_number
        for column in ("email", "manager_email"):
            value = raw.get(column, "").strip()
            if value:
                try:
                    validate_email(value)
                except ValidationError:
                    fail(
                        column,
                        _("“%(v)s” is not an e-mail address (name@example.com).") % {"v": value},
                    )
            values[column] = value
        values["job_title"] = raw.get("job_title", "").strip()[:120]
        hire = raw.get("hire_date", "").strip()
        values["hire_date"] = None
        if hire:
            day = parse_date(hire)
            if day is None:
                fail("hire_date", _("“%(v)s” is not a date; write it as YYYY-MM-DD.") % {"v": hire})
            elif day > timezone.localdate():
                fail("hire_date", _("The hire date cannot be in the future."))
            values["hire_date"] = day
        site = raw.get("facility", "").strip()
        values["facility"] = None
        if site:
            matches = facilities.get(site.lower(), [])
            if len(matches) == 1:
                values["facility"] = matches[0]
            elif not matches:
                known = sorted(a.name or a.city for a in Address.objects.filter(company=company))
                fail(
                    "facility",
                    _("No address of this company is called “%(v)s”. Known: %(known)s.")
                    % {"v": site, "known": ", ".join(known) or _("none yet")},
                )
            else:
                fail(
                    "facility",
                    _("“%(v)s” matches several addresses; give each site a name.") % {"v": site},
                )
        row = EmployeeRow(number, values)
        for name in filter(None, (p.strip() for p in raw.get("roles", "").split(";"))):
            found = roles.get(name.lower())
            if found is None:
                fail(
                    "roles",
                    _("Unknown role “%(v)s”. Known codes: %(known)s.")
                    % {"v": name, "known": ", ".join(sorted({r.code for r in roles.values()}))},
                )
            else:
                row.roles.append(found)
        rows.append(row)
    if problems:
        raise ImportRefused(problems)
    return rows


def import_employees(company: Company, data: IO[bytes] | bytes, filename: str) -> ImportResult:
    """Validate the whole file, then create or update the employees in one transaction.

    Imports into one company run one after the other: a second import waits for the first
    and then finds its employees by number (an update, not a duplicate or a clash with the
    unique number).
    """
    rows = validate_employees(company, data, filename)
    created = updated = 0
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).exists()
        for row in rows:
            values = dict(row.values)
            number = values["employee_number"]
            employee = None
            if number:
                employee = Employee.objects.filter(company=company, employee_number=number).first()
            if employee is None:
                employee = Employee(company=company)
                created += 1
            else:
                # An update keeps what the file leaves empty.
                values = {k: v for k, v in values.items() if v not in ("", None)}
                updated += 1
            for name, value in values.items():
                setattr(employee, name, value)
            employee.full_clean()
            employee.save()
            if row.roles:
                employee.roles.set(row.roles)
    return ImportResult(created, updated)
