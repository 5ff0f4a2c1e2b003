"""Permission cases for the status-verification pages and the public look-up API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from portal.testing import EDITORS, MANAGERS, PUBLIC, SIGNERS, VIEWERS, PermissionCase
from verification.models import MonitoringRequest
from verification.tests.factories import participating
from verification.workflow import certificate_link

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def _both_join(t: Any) -> None:
    participating(t.company, t.users["officer"])
    participating(t.other_company, t.users["other"])
    t.incoming = MonitoringRequest.objects.create(
        requester=t.other_company, partner=t.company, requested_by=t.users["other"]
    )


CASES = [
    C("verification:company-detail", _url("verification:company-detail", company), VIEWERS),
    C(
        "verification:consent-sign",
        _url("verification:consent-sign", company),
        SIGNERS,
        method="post",
        data=lambda t: {"name": "Bo Li", "title": "CEO", "agree": "on"},
    ),
    C(
        "verification:consent-settings",
        _url("verification:consent-settings", company),
        MANAGERS,
        method="post",
        data=lambda t: {"auto_accept": "on"},
        setup=_both_join,
    ),
    C(
        "verification:request-create",
        _url("verification:request-create", company),
        EDITORS,
        method="post",
        data=lambda t: {"partner": t.other_company.pk},
        setup=_both_join,
    ),
    C(
        "verification:request-decide",
        _url("verification:request-decide", company, lambda t: t.incoming.pk),
        MANAGERS,
        method="post",
        data=lambda t: {"accept": "1"},
        setup=_both_join,
    ),
    C(
        "verification:certificate-email",
        _url("verification:certificate-email", company),
        EDITORS,
        method="post",
        data=lambda t: {"email": "buyer@example.com"},
        setup=_both_join,
    ),
    C(
        "verification:certificate-verify",
        lambda t: certificate_link(t.company),
        PUBLIC,
        setup=_both_join,
    ),
    C(
        "api:status-lookup",
        lambda t: reverse("api:status-lookup", args=[t.company.account_number]),
        PUBLIC,
        api=True,
        setup=_both_join,
    ),
]
