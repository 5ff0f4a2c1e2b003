"""Permission cases for the application pages and API (walked by core's permission matrix)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from applications.models import Application, current_agreement
from portal.testing import ANY_USER, EDITORS, SIGNERS, VIEWERS, PermissionCase

C = PermissionCase


def _page(name: str) -> Any:
    return lambda t: reverse(name, args=[t.company.pk])


def _api(name: str) -> Any:
    return lambda t: reverse(name, args=[t.application.pk])


def _start(t: Any) -> None:
    t.application = Application.start(t.company)


def _sign_data(t: Any) -> dict[str, Any]:
    agreement = current_agreement("en")
    return {
        "full_name": "Dana Price",
        "title": "Chief Operating Officer",
        "attest": True,
        "agreement_version": agreement.version,
        "language": agreement.language,
        "agreement_sha256": agreement.sha256,
        "otp_code": "000000",
    }


CASES = [
    C("applications:application-detail", _page("applications:application-detail"), VIEWERS),
    C("applications:application-sign", _page("applications:application-sign"), SIGNERS),
    # The officer's POST is answered by the MFA re-check or, when incomplete, the gaps.
    C(
        "applications:application-sign",
        _page("applications:application-sign"),
        SIGNERS,
        method="post",
        data=lambda t: {"full_name": "Dana Price", "title": "COO"},
    ),
    C("api:application-list", lambda t: reverse("api:application-list"), ANY_USER, api=True),
    C(
        "api:application-list",
        lambda t: reverse("api:application-list"),
        EDITORS,
        api=True,
        method="post",
        data=lambda t: {"company": t.company.pk},
        ok=(200, 201),
    ),
    C("api:application-detail", _api("api:application-detail"), VIEWERS, api=True, setup=_start),
    # The world's company is incomplete, so the officer gets past the permission check to a
    # 400 that names what is missing; everyone else gets 404.
    C(
        "api:application-sign",
        _api("api:application-sign"),
        SIGNERS,
        api=True,
        method="post",
        setup=_start,
        data=_sign_data,
        ok=(400,),
    ),
]
