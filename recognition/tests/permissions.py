"""Permission cases for this app's pages and API (walked by core's permission matrix)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.testing import ANY_USER, EDITORS, VIEWERS, PermissionCase, make_company
from recognition.tests.factories import PDF_BYTES, partner, status
from verification.tests.factories import participating

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def _make(t: Any) -> None:
    t.partner = partner(t.company)
    t.status = status(t.partner, "aeo", "DE")
    t.proof = t.status.proofs.get()


def _make_member(t: Any) -> None:
    _make(t)
    t.member = make_company("Pacific Carriers Inc", business_type="sea_carrier")
    participating(t.member, t.users["officer"])


def _pdf(t: Any) -> dict[str, Any]:
    return {"proof": SimpleUploadedFile("certificate.pdf", PDF_BYTES)}


def partner_pk(t: Any) -> int:
    return int(t.partner.pk)


def status_pk(t: Any) -> int:
    return int(t.status.pk)


CASES = [
    # The partners dashboard is built on this app's figures; its case lives here so the
    # partners app's own list stays with its owners.
    C(
        "partners:partner-dashboard",
        _url("partners:partner-dashboard", company),
        VIEWERS,
        setup=_make,
    ),
    C("recognition:arrangement-list", _url("recognition:arrangement-list", company), VIEWERS),
    C(
        "recognition:status-create",
        _url("recognition:status-create", company, partner_pk),
        EDITORS,
        setup=_make,
    ),
    C(
        "recognition:status-create",
        _url("recognition:status-create", company, partner_pk),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {
            "program": "ctpat",
            "country": "US",
            "number": "CT1234567",
            "issued_on": "2025-01-01",
            **_pdf(t),
        },
    ),
    C(
        "recognition:member-link",
        _url("recognition:member-link", company, partner_pk),
        EDITORS,
        setup=_make,
    ),
    C(
        "recognition:member-link",
        _url("recognition:member-link", company, partner_pk),
        EDITORS,
        method="post",
        setup=_make_member,
        data=lambda t: {"member": t.member.pk},
    ),
    C(
        "recognition:member-unlink",
        _url("recognition:member-unlink", company, partner_pk),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C(
        "recognition:proof-create",
        _url("recognition:proof-create", company, status_pk),
        EDITORS,
        method="post",
        setup=_make,
        data=_pdf,
    ),
    C(
        "recognition:status-verify",
        _url("recognition:status-verify", company, status_pk),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C(
        "recognition:status-revoke",
        _url("recognition:status-revoke", company, status_pk),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {"revoked_on": "2026-01-01", "reason": "Withdrawn by customs"},
    ),
    C(
        "recognition:proof-download",
        _url("recognition:proof-download", company, lambda t: t.proof.pk),
        VIEWERS,
        setup=_make,
    ),
    C("api:arrangement-list", _url("api:arrangement-list"), ANY_USER, api=True),
    C("api:partner-status-list", _url("api:partner-status-list"), ANY_USER, api=True),
    C(
        "api:partner-status-list",
        _url("api:partner-status-list"),
        EDITORS,
        api=True,
        method="post",
        setup=_make,
        data=lambda t: {
            "partner": t.partner.pk,
            "program": "pip",
            "country": "CA",
            "number": "PIP-77",
            "issued_on": "2025-03-01",
            "file": SimpleUploadedFile("pip.pdf", PDF_BYTES),  # multipart: with its proof
        },
        # Others may list statuses but not add one to this company's partner.
        ok=(201,),
    ),
    C(
        "api:partner-status-detail",
        _url("api:partner-status-detail", status_pk),
        VIEWERS,
        api=True,
        setup=_make,
    ),
    C(
        "api:partner-status-detail",
        _url("api:partner-status-detail", status_pk),
        EDITORS,
        api=True,
        method="patch",
        setup=_make,
        data=lambda t: {"number": "DEAEOS-1"},
    ),
    # The JSON body carries no file, so an allowed caller reaches the upload check (400);
    # the upload itself is tested in test_api.
    C(
        "api:partner-status-proof",
        _url("api:partner-status-proof", status_pk),
        EDITORS,
        api=True,
        method="post",
        setup=_make,
        ok=(400,),
    ),
    C(
        "api:partner-status-verify",
        _url("api:partner-status-verify", status_pk),
        EDITORS,
        api=True,
        method="post",
        setup=_make,
    ),
    C(
        "api:partner-status-revoke",
        _url("api:partner-status-revoke", status_pk),
        EDITORS,
        api=True,
        method="post",
        setup=_make,
        data=lambda t: {"revoked_on": "2026-01-01", "reason": "Withdrawn by customs"},
    ),
]
