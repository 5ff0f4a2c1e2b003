"""Permission cases for the profile-sharing pages and API (walked by core's permission
matrix). The counterpart company is `third_company`, so the "other" persona (an admin of
`other_company`) is a stranger to every share here."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from portal.testing import ANY_USER, EDITORS, MANAGERS, VIEWERS, PermissionCase
from sharing.models import Share
from verification.tests.factories import participating

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def share(t: Any) -> int:
    return int(t.share.pk)


def _findable_partner(t: Any) -> None:
    participating(t.third_company, t.users["consultant"])


def _incoming(t: Any) -> None:
    """The third company asked our company for its summary."""
    t.share = Share.objects.create(
        requester=t.third_company, sharer=t.company, requested_by=t.users["consultant"]
    )


def _given(t: Any) -> None:
    """Our company shares its certification status with the third company."""
    _incoming(t)
    Share.objects.filter(pk=t.share.pk).update(status="accepted", share_status=True)


def _received(t: Any) -> None:
    """The third company shares its certification status with our company."""
    t.share = Share.objects.create(
        requester=t.company,
        sharer=t.third_company,
        requested_by=t.users["user"],
        status="accepted",
        share_status=True,
        share_readiness=True,
    )


CASES = [
    C("sharing:share-list", _url("sharing:share-list", company), VIEWERS, setup=_given),
    C(
        "sharing:share-create",
        _url("sharing:share-create", company),
        EDITORS,
        method="post",
        setup=_findable_partner,
        data=lambda t: {"sharer": t.third_company.pk},
    ),
    C(
        "sharing:share-detail",
        _url("sharing:share-detail", company, share),
        VIEWERS,
        setup=_incoming,
    ),
    C(
        "sharing:share-decide",
        _url("sharing:share-decide", company, share),
        MANAGERS,
        method="post",
        setup=_incoming,
        data=lambda t: {"accept": "1", "parts": ["status", "readiness"]},
    ),
    C(
        "sharing:share-revoke",
        _url("sharing:share-revoke", company, share),
        MANAGERS,
        method="post",
        setup=_given,
    ),
    C(
        "sharing:summary-detail",
        _url("sharing:summary-detail", company, share),
        VIEWERS,
        setup=_received,
    ),
    C(
        "sharing:summary-pdf",
        _url("sharing:summary-pdf", company, share),
        VIEWERS,
        setup=_received,
    ),
    C("api:share-list", _url("api:share-list"), ANY_USER, api=True),
    C("api:share-detail", _url("api:share-detail", share), VIEWERS, api=True, setup=_given),
    C("api:share-summary", _url("api:share-summary", share), VIEWERS, api=True, setup=_received),
]
