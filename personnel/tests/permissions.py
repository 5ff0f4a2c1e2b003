"""Permission cases for the personnel pages and API (walked by core's permission matrix)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from personnel.tests.world import make_people
from portal.testing import ANY_USER, EDITORS, MANAGERS, VIEWERS, PermissionCase

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def employee(t: Any) -> int:
    return int(t.employee.pk)


def screening(t: Any) -> int:
    return int(t.screening.pk)


P = make_people

CASES = [
    C("personnel:employee-list", _url("personnel:employee-list", company), VIEWERS),
    C(
        "personnel:employee-lookup",
        lambda t: reverse("personnel:employee-lookup", args=[t.company.pk]) + "?q=a",
        VIEWERS,
    ),
    C(
        "personnel:employee-list",
        _url("personnel:employee-list", company),
        EDITORS,
        method="post",
        data=lambda t: {"first_name": "Luis", "last_name": "Gómez"},
    ),
    C("personnel:employee-import", _url("personnel:employee-import", company), EDITORS),
    C(
        "personnel:employee-import-template",
        _url("personnel:employee-import-template", company, "xlsx"),
        EDITORS,
    ),
    C(
        "personnel:employee-import",
        _url("personnel:employee-import", company),
        EDITORS,
        method="post",
    ),
    C(
        "personnel:employee-detail",
        _url("personnel:employee-detail", company, employee),
        VIEWERS,
        setup=P,
    ),
    C(
        "personnel:employee-edit",
        _url("personnel:employee-edit", company, employee),
        EDITORS,
        setup=P,
    ),
    C(
        "personnel:employee-edit",
        _url("personnel:employee-edit", company, employee),
        EDITORS,
        setup=P,
        method="post",
        data=lambda t: {"first_name": "Ana", "last_name": "Ruiz Soto"},
    ),
    C(
        "personnel:employee-deactivate",
        _url("personnel:employee-deactivate", company, employee),
        EDITORS,
        setup=P,
        method="post",
    ),
    C(
        "personnel:employee-reactivate",
        _url("personnel:employee-reactivate", company, employee),
        EDITORS,
        setup=P,
        method="post",
    ),
    C(
        "personnel:acknowledgement-create",
        _url("personnel:acknowledgement-create", company, employee),
        EDITORS,
        setup=P,
        method="post",
        data=lambda t: {"code_version": "2026-01", "acknowledged_on": "2025-02-01"},
    ),
    C(
        "personnel:acknowledgement-file",
        _url("personnel:acknowledgement-file", company, lambda t: t.ack.pk),
        MANAGERS,
        setup=P,
    ),
    C(
        "personnel:separation-edit",
        _url("personnel:separation-edit", company, employee),
        EDITORS,
        setup=P,
    ),
    C(
        "personnel:separation-edit",
        _url("personnel:separation-edit", company, employee),
        EDITORS,
        setup=P,
        method="post",
        data=lambda t: {"separated_on": "2025-03-01", "badges_returned": "on"},
    ),
    C("personnel:role-list", _url("personnel:role-list", company), VIEWERS),
    C(
        "personnel:role-list",
        _url("personnel:role-list", company),
        EDITORS,
        method="post",
        data=lambda t: {"code": "pilot", "name_en": "Pilot"},
    ),
    C(
        "personnel:role-edit",
        _url("personnel:role-edit", company, lambda t: t.role.pk),
        EDITORS,
        setup=P,
    ),
    C("personnel:screening-list", _url("personnel:screening-list", company), VIEWERS),
    C("personnel:screening-create", _url("personnel:screening-create", company), MANAGERS),
    C(
        "personnel:screening-create",
        _url("personnel:screening-create", company),
        MANAGERS,
        setup=P,
        method="post",
        data=lambda t: {
            "employee": t.employee.pk,
            "kind": "pre_employment",
            "checked_items": "References",
            "checked_on": "2025-01-05",
            "outcome": "clear",
        },
    ),
    C(
        "personnel:screening-detail",
        _url("personnel:screening-detail", company, screening),
        VIEWERS,
        setup=P,
    ),
    C(
        "personnel:screening-edit",
        _url("personnel:screening-edit", company, screening),
        MANAGERS,
        setup=P,
    ),
    C("personnel:access-log", _url("personnel:access-log", company), MANAGERS),
    C("api:employee-list", _url("api:employee-list"), ANY_USER, api=True),
    C("api:employee-detail", _url("api:employee-detail", employee), VIEWERS, api=True, setup=P),
    C(
        "api:employee-detail",
        _url("api:employee-detail", employee),
        EDITORS,
        api=True,
        setup=P,
        method="patch",
        data=lambda t: {"job_title": "Gate guard"},
    ),
    C(
        "api:employee-detail",
        _url("api:employee-detail", employee),
        EDITORS,
        api=True,
        setup=P,
        method="delete",
    ),
    C("api:personnel-screening-list", _url("api:personnel-screening-list"), ANY_USER, api=True),
    C(
        "api:personnel-screening-detail",
        _url("api:personnel-screening-detail", screening),
        VIEWERS,
        api=True,
        setup=P,
    ),
    C(
        "api:personnel-screening-detail",
        _url("api:personnel-screening-detail", screening),
        MANAGERS,
        api=True,
        setup=P,
        method="patch",
        data=lambda t: {"notes": "Re-read"},
    ),
    C(
        "api:personnel-screening-detail",
        _url("api:personnel-screening-detail", screening),
        MANAGERS,
        api=True,
        setup=P,
        method="delete",
    ),
]
