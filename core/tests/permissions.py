"""Permission cases for the generic file route (walked by core's permission matrix): an
incident attachment is read by every member and the program office; a signed
code-of-conduct copy only by the company's managers."""

from __future__ import annotations

from typing import Any

from core import files
from core.testing import MANAGERS, VIEWERS, PermissionCase
from incidents.workflow import open_incident
from personnel.tests.world import PDF, make_people, stored


def with_attachment(t: Any) -> None:
    t.incident = open_incident(
        t.company, kind="tampering", title="Broken lock", description="Lock cut at dock 3."
    )
    t.incident.attachment.name = stored("tests/incidents/lock.pdf", PDF)
    t.incident.save()


CASES = [
    PermissionCase(
        "core:file",
        lambda t: files.protected_url(t.incident, "attachment"),
        VIEWERS,
        setup=with_attachment,
    ),
    PermissionCase(
        "core:file",
        lambda t: files.protected_url(t.ack, "evidence"),
        MANAGERS,
        setup=make_people,
    ),
]
