"""Permission cases for the inspection, checklist, gate-log and operations pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone

from inspections.models import GateEntry, Inspection
from portal.testing import ANY_USER, EDITORS, MANAGERS, VIEWERS, PermissionCase

C = PermissionCase


def _inspection(t: Any) -> None:
    t.inspection = Inspection.objects.create(
        company=t.company,
        checklist_key="container",
        checklist_name="Container (7-point)",
        iit_number="MSCU1234565",
        direction="outbound",
        inspector=t.users["user"],
        performed_at=timezone.now(),
    )


def _gate_entry(t: Any) -> None:
    t.gate_entry = GateEntry.objects.create(
        company=t.company, direction="in", driver_name="Luis Gómez", recorded_by=t.users["user"]
    )


def _url(name: str, *extra: Any) -> Any:
    return lambda t: reverse(
        f"inspections:{name}", args=[t.company.pk, *[e(t) if callable(e) else e for e in extra]]
    )


def _inspection_data(t: Any) -> dict[str, Any]:
    return {
        "client_key": str(uuid.uuid4()),
        "iit_number": "TGHU7654321",
        "direction": "outbound",
        "performed_at": "2026-03-02T10:00",
        "pest_checked": "on",
        "point-front_wall-result": "pass",
    }


INSPECTION = lambda t: t.inspection.pk  # noqa: E731

CASES = [
    C("inspections:inspection-list", _url("inspection-list"), VIEWERS),
    C("inspections:inspection-lookup", _url("inspection-lookup"), VIEWERS),
    C("inspections:inspection-create", _url("inspection-create", "container"), EDITORS),
    C(
        "inspections:inspection-create",
        _url("inspection-create", "reefer"),
        EDITORS,
        method="post",
        data=_inspection_data,
    ),
    C(
        "inspections:inspection-detail",
        _url("inspection-detail", INSPECTION),
        VIEWERS,
        setup=_inspection,
    ),
    C(
        "inspections:inspection-signoff",
        _url("inspection-signoff", INSPECTION),
        MANAGERS,
        method="post",
        setup=_inspection,
    ),
    C(
        "inspections:inspection-email",
        _url("inspection-email", INSPECTION),
        EDITORS,
        method="post",
        setup=_inspection,
    ),
    C(
        "inspections:inspection-pdf",
        _url("inspection-pdf", INSPECTION),
        VIEWERS,
        setup=_inspection,
    ),
    C("inspections:checklist-list", _url("checklist-list"), VIEWERS),
    C(
        "inspections:checklist-list",
        _url("checklist-list"),
        MANAGERS,
        method="post",
        data=lambda t: {"name": "Flatbed", "point_lines": "Deck | Plataforma\nChains | Cadenas"},
    ),
    C("inspections:gate-list", _url("gate-list"), VIEWERS),
    C(
        "inspections:gate-list",
        _url("gate-list"),
        EDITORS,
        method="post",
        data=lambda t: {
            "client_key": str(uuid.uuid4()),
            "direction": "in",
            "driver_name": "Luis Gómez",
            "tractor_plate": "ABC123",
        },
    ),
    C("inspections:operations-kpis", _url("operations-kpis"), VIEWERS),
    C("api:gate-entry-list", lambda t: reverse("api:gate-entry-list"), ANY_USER, api=True),
    C(
        "api:gate-entry-detail",
        lambda t: reverse("api:gate-entry-detail", args=[t.gate_entry.pk]),
        VIEWERS,
        api=True,
        setup=_gate_entry,
    ),
    C("api:inspection-list", lambda t: reverse("api:inspection-list"), ANY_USER, api=True),
    C(
        "api:inspection-list",
        lambda t: reverse("api:inspection-list"),
        EDITORS,
        method="post",
        api=True,
        data=lambda t: {
            "company": t.company.pk,
            "checklist": "container",
            "client_key": str(uuid.uuid4()),
            "iit_number": "TGHU7654321",
            "direction": "inbound",
            "pest_checked": True,
            "results": [{"key": "front_wall", "result": "pass"}],
        },
    ),
    C(
        "api:inspection-detail",
        lambda t: reverse("api:inspection-detail", args=[t.inspection.pk]),
        VIEWERS,
        api=True,
        setup=_inspection,
    ),
]
