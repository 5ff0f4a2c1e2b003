"""Permission cases for the incident pages. The anonymous report form is public: every
persona, signed in or not, may open and send it (the signed token names the company)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from incidents.report import link_for
from incidents.workflow import open_incident
from portal.testing import ANY_USER, EDITORS, MANAGERS, PUBLIC, VIEWERS, PermissionCase

C = PermissionCase


def _incident(t: Any) -> None:
    t.incident = open_incident(
        t.company, kind="tampering", title="Broken lock", description="Lock cut at dock 3."
    )


def _url(name: str, *extra: Any) -> Any:
    return lambda t: reverse(
        f"incidents:{name}", args=[t.company.pk, *[e(t) if callable(e) else e for e in extra]]
    )


INCIDENT = lambda t: t.incident.pk  # noqa: E731
REPORT = lambda t: link_for(t.company).get_absolute_url()  # noqa: E731


def _incident_with_file(t: Any) -> None:
    stored = default_storage.save(
        f"incidents/{t.company.pk}/anon-matrix.txt", ContentFile(b"Gate 4 is left open at night.")
    )
    t.incident = open_incident(
        t.company,
        kind="other",
        title="Anonymous report",
        description="See the file.",
        anonymous=True,
        attachment=stored,
    )


CASES = [
    C("incidents:incident-list", _url("incident-list"), VIEWERS),
    C("incidents:incident-create", _url("incident-create"), EDITORS),
    C(
        "incidents:incident-create",
        _url("incident-create"),
        EDITORS,
        method="post",
        data=lambda t: {
            "kind": "unauthorized_access",
            "title": "Stranger in the yard",
            "description": "Challenged and escorted out.",
            "occurred_at": "2026-03-02T10:00",
        },
    ),
    C("incidents:incident-detail", _url("incident-detail", INCIDENT), VIEWERS, setup=_incident),
    C(
        "incidents:incident-attachment",
        _url("incident-attachment", INCIDENT),
        VIEWERS,
        setup=_incident_with_file,
    ),
    # Changing the anonymous link is the company's officer's or admin's (like seeing it).
    C("incidents:report-link-rotate", _url("report-link-rotate"), MANAGERS, method="post"),
    C("incidents:incident-edit", _url("incident-edit", INCIDENT), EDITORS, setup=_incident),
    C(
        "incidents:incident-edit",
        _url("incident-edit", INCIDENT),
        EDITORS,
        method="post",
        data=lambda t: {"status": "investigating", "investigation": "Reviewing CCTV."},
        setup=_incident,
    ),
    C(
        "incidents:incident-action-create",
        _url("incident-action-create", INCIDENT),
        EDITORS,
        method="post",
        data=lambda t: {
            "title": "Replace the dock 3 padlock with a high-security lock",
            "criterion_ref": "5.4",
            "owner": t.users["admin"].pk,
            "due_date": "2026-04-30",
        },
        setup=_incident,
    ),
    C(
        "incidents:notification-mark",
        _url("notification-mark", INCIDENT, lambda t: t.incident.notifications.first().pk),
        EDITORS,
        method="post",
        data=lambda t: {"contact": "SCSS Laredo, +1 956 000 0000"},
        setup=_incident,
    ),
    # Public (MSC 7.25): no account needed; every persona gets the form and may send it.
    C("incidents:anonymous-report", REPORT, PUBLIC),
    C(
        "incidents:anonymous-report",
        REPORT,
        PUBLIC,
        method="post",
        data=lambda t: {"kind": "other", "description": "Someone props the gate open."},
    ),
    C("api:incident-list", lambda t: reverse("api:incident-list"), ANY_USER, api=True),
    C(
        "api:incident-list",
        lambda t: reverse("api:incident-list"),
        EDITORS,
        method="post",
        api=True,
        data=lambda t: {
            "company": t.company.pk,
            "kind": "unauthorized_access",
            "title": "Stranger in the yard",
            "description": "Challenged and escorted out by the guard.",
        },
    ),
    C(
        "api:incident-detail",
        lambda t: reverse("api:incident-detail", args=[t.incident.pk]),
        VIEWERS,
        api=True,
        setup=_incident,
    ),
    C(
        "api:incident-actions",
        lambda t: reverse("api:incident-actions", args=[t.incident.pk]),
        EDITORS,
        method="post",
        api=True,
        data=lambda t: {
            "title": "Replace the dock 3 padlock",
            "criterion_ref": "5.4",
            "owner": t.users["admin"].pk,
            "due_date": "2026-04-30",
        },
        setup=_incident,
    ),
]
