"""The employee import (CSV or Excel), all or nothing: its columns, the check of one row
against the company's addresses and security roles, and the write.

Reading, the header, empty and unparseable cells and the problems (row, column, value,
reason) are `core.importing.Importer`'s. An employee whose `employee_number` is already
stored is updated; cells left empty keep what is stored. Columns the import does not know
are ignored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Address, Company
from core.importing import Column, Importer, Invalid, RowCheck, date_column, date_parser
from personnel.models import Employee, SecurityRole


def email_parser(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise Invalid(
            _("“%(v)s” is not an e-mail address; write it as name@example.com.") % {"v": text}
        ) from None
    return text


def _hire_date(text: str) -> datetime.date:
    day = date_parser(text)
    if day > timezone.localdate():
        raise Invalid(_("The hire date cannot be in the future; write the day they started."))
    return day


@dataclass
class EmployeeRow:
    number: int
    values: dict[str, Any]
    roles: list[SecurityRole] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


class EmployeeImporter(Importer[EmployeeRow]):
    columns = (
        Column("first_name", "nombre", required=True, max_length=100),
        Column("last_name", "apellidos", required=True, max_length=100),
        Column(
            "employee_number",
            "número_empleado",
            help=gettext_lazy("an employee with the same number is updated"),
        ),
        Column("email", "correo", parse=email_parser),
        Column("job_title", "puesto", parse=lambda text: text[:120]),
        Column("manager_email", "correo_jefe", parse=email_parser),
        Column(
            "facility",
            "instalación",
            empty=None,
            help=gettext_lazy("site name or city of one of your addresses"),
        ),
        Column("roles", "funciones", help=gettext_lazy("security role codes separated by ;")),
        date_column("hire_date", "fecha_ingreso", parse=_hire_date),
    )
    unknown_columns = "ignore"
    template_name = "employees-template"

    def __init__(self, company: Company) -> None:
        self.company = company
        self.addresses = list(Address.objects.filter(company=company))
        self.facilities: dict[str, list[Address]] = {}
        for address in self.addresses:
            key = (address.name or address.city).strip().lower()
            self.facilities.setdefault(key, []).append(address)
        self.roles: dict[str, SecurityRole] = {}
        for role in SecurityRole.objects.filter(company=company):
            self.roles[role.code.lower()] = role
            self.roles[role.name_en.strip().lower()] = role
            if role.name_es:
                self.roles[role.name_es.strip().lower()] = role
        self.numbers: dict[str, int] = {}

    def build_row(self, row: RowCheck) -> EmployeeRow:
        values = dict(row.values)
        roles = values.pop("roles")
        number = values["employee_number"]
        if number in self.numbers:
            row.fail(
                "employee_number",
                _("Number %(n)s is also on row %(row)s; each number once.")
                % {"n": number, "row": self.numbers[number]},
            )
        elif number:
            self.numbers[number] = row.number
        values["facility"] = self._facility(row) if row.text["facility"] else None
        found = EmployeeRow(row.number, values)
        for name in filter(None, (p.strip() for p in roles.split(";"))):
            role = self.roles.get(name.lower())
            if role is None:
                row.fail(
                    "roles",
                    _("Unknown role “%(v)s”. Known codes: %(known)s.")
                    % {
                        "v": name,
                        "known": ", ".join(sorted({r.code for r in self.roles.values()})),
                    },
                )
            else:
                found.roles.append(role)
        return found

    def _facility(self, row: RowCheck) -> Address | None:
        site = row.text["facility"]
        matches = self.facilities.get(site.lower(), [])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            known = sorted(a.name or a.city for a in self.addresses)
            row.fail(
                "facility",
                _("No address of this company is called “%(v)s”. Known: %(known)s.")
                % {"v": site, "known": ", ".join(known) or _("none yet")},
            )
        else:
            row.fail(
                "facility",
                _("“%(v)s” matches several addresses; give each site a name.") % {"v": site},
            )
        return None

    def write(self, rows: list[EmployeeRow]) -> ImportResult:
        """Create or update the employees. Imports into one company run one after the
        other: a second import waits for the first and then finds its employees by number
        (an update, not a duplicate or a clash with the unique number)."""
        created = updated = 0
        Company.objects.select_for_update().filter(pk=self.company.pk).exists()
        for row in rows:
            values = dict(row.values)
            number = values["employee_number"]
            employee = None
            if number:
                employee = Employee.objects.filter(
                    company=self.company, employee_number=number
                ).first()
            if employee is None:
                employee = Employee(company=self.company)
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


def import_employees(company: Company, data: IO[bytes] | bytes, filename: str) -> ImportResult:
    """Check the whole file, then create or update the employees in one transaction;
    raises `core.importing.ImportRefused` (nothing written) when any row has a problem."""
    result: ImportResult = EmployeeImporter(company).run(data, filename)
    return result
