"""Permission cases for the company pages and API (walked by core's permission matrix)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from companies.models import (
    Address,
    Contact,
    Identifier,
    Invitation,
    ProgramParticipation,
    hash_invitation_token,
)
from portal.testing import ANY_USER, EDITORS, MANAGERS, PUBLIC, VIEWERS, PermissionCase

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def _make_parts(t: Any) -> None:
    t.address = Address.objects.create(
        company=t.company, kind="headquarters", street="1 Main St", city="Laredo", country="US"
    )
    t.contact = Contact.objects.create(
        company=t.company, kind="security", name="Ana Ruiz", email="ana@acme.test"
    )
    t.identifier = Identifier.objects.create(company=t.company, kind="scac", value="ACME")
    t.program = ProgramParticipation.objects.create(company=t.company, program="pip", country="CA")


INVITATION_TOKEN = "matrix-invitation-secret-0123456789abcdefghij"


def _make_invitation(t: Any) -> None:
    """A pending invitation of the main company to an address no persona has."""
    now = timezone.now()
    t.invitation = Invitation.objects.create(
        company=t.company,
        email="newcomer@acme.test",
        role="viewer",
        token_hash=hash_invitation_token(INVITATION_TOKEN),
        sent_at=now,
        expires_at=now + datetime.timedelta(days=14),
    )


def invitation(t: Any) -> int:
    return int(t.invitation.pk)


def _part_cases(kind: str, data: dict[str, Any], api_name: str) -> list[PermissionCase]:
    obj = lambda t: getattr(t, kind).pk  # noqa: E731
    return [
        C(f"companies:{kind}-list", _url(f"companies:{kind}-list", company), VIEWERS),
        C(
            f"companies:{kind}-list",
            _url(f"companies:{kind}-list", company),
            EDITORS,
            method="post",
            data=lambda t: data,
        ),
        C(
            f"companies:{kind}-edit",
            _url(f"companies:{kind}-edit", company, obj),
            EDITORS,
            setup=_make_parts,
        ),
        C(
            f"companies:{kind}-delete",
            _url(f"companies:{kind}-delete", company, obj),
            EDITORS,
            method="post",
            setup=_make_parts,
        ),
        C(f"api:{api_name}-list", _url(f"api:{api_name}-list"), ANY_USER, api=True),
        C(
            f"api:{api_name}-detail",
            _url(f"api:{api_name}-detail", obj),
            VIEWERS,
            api=True,
            setup=_make_parts,
        ),
        C(
            f"api:{api_name}-detail",
            _url(f"api:{api_name}-detail", obj),
            EDITORS,
            api=True,
            method="delete",
            setup=_make_parts,
        ),
    ]


CASES = [
    C("companies:company-list", _url("companies:company-list"), ANY_USER),
    C("companies:company-create", _url("companies:company-create"), ANY_USER),
    C("companies:company-detail", _url("companies:company-detail", company), VIEWERS),
    C("companies:company-edit", _url("companies:company-edit", company), EDITORS),
    C("companies:member-list", _url("companies:member-list", company), MANAGERS),
    C(
        "companies:member-remove",
        _url(
            "companies:member-remove",
            company,
            lambda t: t.company.memberships.get(role="viewer").pk,
        ),
        MANAGERS,
        method="post",
    ),
    C(
        "companies:member-role",
        _url(
            "companies:member-role",
            company,
            lambda t: t.company.memberships.get(role="viewer").pk,
        ),
        MANAGERS,
        method="post",
        data=lambda t: {"role": "user"},
    ),
    C(
        "companies:invitation-resend",
        _url("companies:invitation-resend", company, invitation),
        MANAGERS,
        method="post",
        setup=_make_invitation,
    ),
    C(
        "companies:invitation-revoke",
        _url("companies:invitation-revoke", company, invitation),
        MANAGERS,
        method="post",
        setup=_make_invitation,
    ),
    # The invitation link: every signed-in account reaches it; none of the personas is the
    # invited address, so each gets the refusal page (200) and joins nothing. Anonymous
    # visitors get the set-a-password page (200; a POST without one answers 400)
    # (test_invitations.py covers the invited person, and dead links).
    C(
        "companies:invitation-accept",
        _url("companies:invitation-accept", INVITATION_TOKEN),
        PUBLIC,
        setup=_make_invitation,
        ok=(200,),
    ),
    C(
        "companies:invitation-accept",
        _url("companies:invitation-accept", INVITATION_TOKEN),
        PUBLIC,
        method="post",
        setup=_make_invitation,
        ok=(200, 400),
    ),
    C("companies:audit-log", _url("companies:audit-log", company), MANAGERS),
    *_part_cases(
        "address",
        {"kind": "facility", "street": "2 Dock Rd", "city": "Reno", "country": "US"},
        "address",
    ),
    *_part_cases(
        "contact", {"kind": "officer", "name": "Bo Li", "email": "bo@acme.test"}, "contact"
    ),
    *_part_cases("identifier", {"kind": "ein", "value": "12-3456789"}, "identifier"),
    *_part_cases("program", {"program": "aeo", "country": "DE"}, "program"),
    C("api:company-list", _url("api:company-list"), ANY_USER, api=True),
    C("api:company-detail", _url("api:company-detail", company), VIEWERS, api=True),
    C(
        "api:company-detail",
        _url("api:company-detail", company),
        EDITORS,
        api=True,
        method="patch",
        data=lambda t: {"dba": "Acme"},
    ),
    C("api:membership-list", _url("api:membership-list"), ANY_USER, api=True),
    C(
        "api:membership-detail",
        _url("api:membership-detail", lambda t: t.company.memberships.get(role="viewer").pk),
        VIEWERS,
        api=True,
    ),
    C(
        "api:membership-detail",
        _url("api:membership-detail", lambda t: t.company.memberships.get(role="viewer").pk),
        MANAGERS,
        api=True,
        method="delete",
    ),
    C("api:invitation-list", _url("api:invitation-list"), ANY_USER, api=True),
    C(
        "api:invitation-detail",
        _url("api:invitation-detail", invitation),
        MANAGERS,
        api=True,
        setup=_make_invitation,
    ),
    C(
        "api:invitation-detail",
        _url("api:invitation-detail", invitation),
        MANAGERS,
        api=True,
        method="delete",
        setup=_make_invitation,
    ),
    C(
        "api:invitation-resend",
        _url("api:invitation-resend", invitation),
        MANAGERS,
        api=True,
        method="post",
        setup=_make_invitation,
    ),
    # As for the page: every account reaches accept, and each persona is refused (400,
    # wrong_account) because the invitation is for an address none of them has.
    C(
        "api:invitation-accept",
        _url("api:invitation-accept"),
        ANY_USER,
        api=True,
        method="post",
        setup=_make_invitation,
        data=lambda t: {"token": INVITATION_TOKEN},
        ok=(400,),
    ),
    C("api:me", _url("api:me"), ANY_USER, api=True),
]
