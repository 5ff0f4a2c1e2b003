"""Permission cases for the training pages and API (walked by core's permission matrix)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from personnel.tests.world import PDF, PNG, make_people, stored
from portal.testing import ANY_USER, EDITORS, VIEWERS, PermissionCase
from training.models import (
    Course,
    CultureEvidence,
    CultureRecord,
    SessionMaterial,
    TrainingRecord,
    TrainingSession,
)

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def make_training(t: Any) -> None:
    make_people(t)
    c = t.company
    t.course = Course.objects.create(
        company=c, code="threat_awareness", title_en="Threats", criteria=["12.10"]
    )
    t.course.roles.set([t.role])
    t.session = TrainingSession.objects.create(
        company=c,
        course=t.course,
        held_on=datetime.date(2025, 1, 15),
        trainer="R. Soto",
        topics="Reporting",
        sign_in_sheet=stored("tests/training/sheet.pdf", PDF),
    )
    t.record = TrainingRecord.objects.create(
        company=c,
        employee=t.employee,
        course=t.course,
        session=t.session,
        completed_on=datetime.date(2025, 1, 15),
        signature=stored("tests/training/signature.png", PNG),
    )
    t.material = SessionMaterial.objects.create(
        company=c, session=t.session, title="Slides", file=stored("tests/training/slides.pdf", PDF)
    )
    t.culture = CultureRecord.objects.create(
        company=c,
        kind="statement",
        title="CEO statement",
        dated=datetime.date(2025, 1, 2),
        people="J. Pérez, CEO",
    )
    t.evidence = CultureEvidence.objects.create(
        company=c, record=t.culture, file=stored("tests/training/statement.pdf", PDF)
    )


W = make_training


def obj(name: str) -> Any:
    return lambda t: getattr(t, name).pk


CASES = [
    C("training:dashboard", _url("training:dashboard", company), VIEWERS),
    C("training:programme-load", _url("training:programme-load", company), EDITORS, method="post"),
    C("training:matrix", _url("training:matrix", company), VIEWERS, setup=W),
    C("training:matrix-export", _url("training:matrix-export", company), VIEWERS, setup=W),
    C(
        "training:matrix-export",
        lambda t: reverse("training:matrix-export", args=[t.company.pk]) + "?format=xlsx",
        VIEWERS,
        setup=W,
    ),
    C("training:course-list", _url("training:course-list", company), VIEWERS),
    C(
        "training:course-list",
        _url("training:course-list", company),
        EDITORS,
        method="post",
        data=lambda t: {
            "code": "new_course",
            "title_en": "New",
            "criteria": "12.1",
            "refresher_months": 12,
            "pass_mark": 80,
            "active": "on",
        },
    ),
    C(
        "training:course-detail",
        _url("training:course-detail", company, obj("course")),
        VIEWERS,
        setup=W,
    ),
    C(
        "training:course-edit",
        _url("training:course-edit", company, obj("course")),
        EDITORS,
        setup=W,
    ),
    C(
        "training:course-retrain",
        _url("training:course-retrain", company, obj("course")),
        EDITORS,
        setup=W,
    ),
    C(
        "training:course-people-lookup",
        lambda t: (
            reverse("training:course-people-lookup", args=[t.company.pk, t.course.pk]) + "?q=a"
        ),
        EDITORS,
        setup=W,
    ),
    C(
        "training:course-retrain",
        _url("training:course-retrain", company, obj("course")),
        EDITORS,
        setup=W,
        method="post",
        data=lambda t: {"trigger": "incident", "reason": "Gate 3", "roles": [t.role.pk]},
    ),
    C("training:session-list", _url("training:session-list", company), VIEWERS),
    C("training:session-create", _url("training:session-create", company), EDITORS),
    C(
        "training:session-create",
        _url("training:session-create", company),
        EDITORS,
        setup=W,
        method="post",
        data=lambda t: {
            "course": t.course.pk,
            "held_on": "2025-02-01",
            "trainer": "R. Soto",
            "topics": "Seals",
        },
    ),
    C(
        "training:session-detail",
        _url("training:session-detail", company, obj("session")),
        VIEWERS,
        setup=W,
    ),
    C(
        "training:session-edit",
        _url("training:session-edit", company, obj("session")),
        EDITORS,
        setup=W,
    ),
    C(
        "training:attendance-add",
        _url("training:attendance-add", company, obj("session")),
        EDITORS,
        setup=W,
        method="post",
        ok=(400,),
    ),
    C(
        "training:attendee-lookup",
        lambda t: reverse("training:attendee-lookup", args=[t.company.pk, t.session.pk]) + "?q=a",
        EDITORS,
        setup=W,
    ),
    C(
        "training:attendance-import",
        _url("training:attendance-import", company, obj("session")),
        EDITORS,
        setup=W,
    ),
    C(
        "training:attendance-import-template",
        _url("training:attendance-import-template", company, "csv"),
        EDITORS,
    ),
    # Without a file the form is refused (400): the request got past the permission check.
    C(
        "training:material-add",
        _url("training:material-add", company, obj("session")),
        EDITORS,
        setup=W,
        method="post",
        data=lambda t: {"title": "Quiz"},
        ok=(400,),
    ),
    C(
        "training:session-sheet",
        _url("training:session-sheet", company, obj("session")),
        VIEWERS,
        setup=W,
    ),
    C(
        "training:material-file",
        _url("training:material-file", company, obj("material")),
        VIEWERS,
        setup=W,
    ),
    C(
        "training:employee-records",
        _url("training:employee-records", company, obj("employee")),
        VIEWERS,
        setup=W,
    ),
    C(
        "training:employee-records",
        _url("training:employee-records", company, obj("employee")),
        EDITORS,
        setup=W,
        method="post",
        data=lambda t: {"course": t.course.pk, "completed_on": "2025-02-01"},
    ),
    C(
        "training:record-edit",
        _url("training:record-edit", company, obj("record")),
        EDITORS,
        setup=W,
    ),
    C(
        "training:record-sign",
        _url("training:record-sign", company, obj("record")),
        EDITORS,
        setup=W,
    ),
    C(
        "training:record-signature",
        _url("training:record-signature", company, obj("record")),
        VIEWERS,
        setup=W,
    ),
    C("training:culture-list", _url("training:culture-list", company), VIEWERS),
    C(
        "training:culture-list",
        _url("training:culture-list", company),
        EDITORS,
        method="post",
        data=lambda t: {
            "kind": "team",
            "title": "Security team",
            "dated": "2025-01-05",
            "people": "Ops, HR, IT",
        },
    ),
    C(
        "training:culture-detail",
        _url("training:culture-detail", company, obj("culture")),
        VIEWERS,
        setup=W,
    ),
    C(
        "training:culture-detail",
        _url("training:culture-detail", company, obj("culture")),
        EDITORS,
        setup=W,
        method="post",
        data=lambda t: {"title": "Minutes"},
        ok=(400,),
    ),
    C(
        "training:culture-evidence-file",
        _url("training:culture-evidence-file", company, obj("evidence")),
        VIEWERS,
        setup=W,
    ),
    C("api:training-course-list", _url("api:training-course-list"), ANY_USER, api=True),
    C(
        "api:training-course-detail",
        _url("api:training-course-detail", obj("course")),
        VIEWERS,
        api=True,
        setup=W,
    ),
    C(
        "api:training-course-detail",
        _url("api:training-course-detail", obj("course")),
        EDITORS,
        api=True,
        setup=W,
        method="patch",
        data=lambda t: {"refresher_months": 24},
    ),
    C("api:training-session-list", _url("api:training-session-list"), ANY_USER, api=True),
    C(
        "api:training-session-detail",
        _url("api:training-session-detail", obj("session")),
        VIEWERS,
        api=True,
        setup=W,
    ),
    C(
        "api:training-session-detail",
        _url("api:training-session-detail", obj("session")),
        EDITORS,
        api=True,
        setup=W,
        method="patch",
        data=lambda t: {"trainer": "M. Díaz"},
    ),
    C("api:training-record-list", _url("api:training-record-list"), ANY_USER, api=True),
    C(
        "api:training-record-detail",
        _url("api:training-record-detail", obj("record")),
        VIEWERS,
        api=True,
        setup=W,
    ),
    C(
        "api:training-record-detail",
        _url("api:training-record-detail", obj("record")),
        EDITORS,
        api=True,
        setup=W,
        method="patch",
        data=lambda t: {"quiz_score": 90},
    ),
    C(
        "api:training-matrix-list",
        lambda t: reverse("api:training-matrix-list") + f"?company={t.company.pk}",
        VIEWERS,
        api=True,
        setup=W,
    ),
]
