"""Permission cases for the generic file route (walked by core's permission matrix): an
incident attachment is read by every member and the program office; a signed
code-of-conduct copy only by the company's managers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from core import files
from incidents.workflow import open_incident
from personnel.tests.world import PDF, make_people, stored
from portal.testing import ANY_USER, MANAGERS, VIEWERS, PermissionCase


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


# -- background exports (core.export_jobs) and the binder (portal.binder) --------------


def with_export(t: Any) -> None:
    """A finished export of the "user" persona: only they may see or download it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from core.models import ExportJob

    stored = default_storage.save("exports/tests/partners.csv", ContentFile(b"name\nAcme\n"))
    t.export = ExportJob.objects.create(
        company=t.company,
        requested_by=t.users["user"],
        kind="partners.csv",
        state=ExportJob.State.DONE,
        file=stored,
        filename="partners.csv",
        content_type="text/csv",
    )


REQUESTER = frozenset({"user"})


def _job_url(name: str) -> Callable[[Any], str]:
    return lambda t: reverse(name, args=[t.company.pk, t.export.pk])


CASES += [
    PermissionCase(name, _job_url(name), REQUESTER, setup=with_export)
    for name in ("exports:job", "exports:job-status", "exports:job-download")
]
CASES += [
    PermissionCase(
        "core:file",
        lambda t: files.protected_url(t.export, "file"),
        REQUESTER,
        setup=with_export,
    ),
    PermissionCase(
        "binder:binder", lambda t: reverse("binder:binder", args=[t.company.pk]), VIEWERS
    ),
    PermissionCase(
        "binder:binder",
        lambda t: reverse("binder:binder", args=[t.company.pk]),
        VIEWERS,
        method="post",
        data=lambda t: {"language": "en"},
    ),
]
CASES += [
    PermissionCase("api:export-list", lambda t: reverse("api:export-list"), ANY_USER, api=True),
    PermissionCase(
        "api:export-detail",
        lambda t: reverse("api:export-detail", args=[t.export.pk]),
        REQUESTER,
        setup=with_export,
        api=True,
    ),
]
