"""Small builders for training and personnel tests."""

from __future__ import annotations

import datetime
from typing import Any

from companies.models import Address, Company
from personnel.models import Employee, SecurityRole
from training.models import Course, TrainingRecord, TrainingSession


def role(company: Company, code: str = "guard", **fields: Any) -> SecurityRole:
    fields.setdefault("name_en", code.replace("_", " ").title())
    return SecurityRole.objects.create(company=company, code=code, **fields)


def course(
    company: Company,
    code: str = "threat_awareness",
    *,
    roles: list[SecurityRole] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Course:
    fields.setdefault("title_en", code.replace("_", " ").title())
    fields.setdefault("criteria", ["12.10"])
    result = Course.objects.create(company=company, code=code, **fields)
    result.roles.set(roles)
    return result


def employee(
    company: Company,
    first: str = "Ana",
    last: str = "Ruiz",
    *,
    roles: list[SecurityRole] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Employee:
    result = Employee.objects.create(company=company, first_name=first, last_name=last, **fields)
    result.roles.set(roles)
    return result


def facility(company: Company, city: str = "Laredo") -> Address:
    return Address.objects.create(
        company=company, kind="warehouse", street="1 Dock Rd", city=city, country="US"
    )


def session(course_: Course, held_on: datetime.date, **fields: Any) -> TrainingSession:
    fields.setdefault("trainer", "R. Soto")
    fields.setdefault("topics", "Reporting suspicious activity")
    return TrainingSession.objects.create(
        company=course_.company, course=course_, held_on=held_on, **fields
    )


def record(
    employee_: Employee, course_: Course, completed_on: datetime.date, **fields: Any
) -> TrainingRecord:
    return TrainingRecord.objects.create(
        company=employee_.company,
        employee=employee_,
        course=course_,
        completed_on=completed_on,
        **fields,
    )
