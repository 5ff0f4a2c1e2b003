"""Test helpers shared by every app: the cast of personas and the permission-matrix format.

Tests are Django `TestCase` classes that inherit `PersonaTestCase`; `setUpTestData`
builds one world (two member companies, a consultant's third company, program-office
staff) once per class. Each app lists the URLs it exposes in `<app>/tests/permissions.py`
as `CASES = [PermissionCase(...), ...]`; `core/tests/test_permission_matrix.py` walks
every case as every persona and also fails when a URL of ours has no case at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.test import Client, TestCase

from accounts.models import User
from companies.models import Company, Membership

PASSWORD = "correct-horse-battery-staple"

# Every persona the matrix walks. "anonymous" is not signed in; "other" is an admin of
# another company; "consultant" works for the main company and for a third one.
PERSONAS = (
    "anonymous",
    "other",
    "viewer",
    "user",
    "admin",
    "officer",
    "consultant",
    "specialist",
    "supervisor",
)
MEMBER_ROLES = ("viewer", "user", "admin", "officer", "consultant")
PROGRAM_OFFICE = ("specialist", "supervisor")
# Shorthands for `PermissionCase.allow`.
VIEWERS = frozenset(MEMBER_ROLES + PROGRAM_OFFICE)
MEMBERS = frozenset(MEMBER_ROLES)
EDITORS = frozenset({"user", "admin", "officer", "consultant"})
MANAGERS = frozenset({"admin", "officer"})
SIGNERS = frozenset({"officer"})
ANY_USER = frozenset(PERSONAS) - {"anonymous"}
PUBLIC = frozenset(PERSONAS)


def make_user(email: str, *, program_role: str = "", mfa: bool = False, **extra: Any) -> User:
    user = User.objects.create_user(email, PASSWORD, program_role=program_role, **extra)
    if mfa:
        give_totp(user)
    return user


def give_totp(user: User) -> Authenticator:
    """Register an authenticator app for the user (what the MFA set-up page would do)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret()).instance


def sign_in(client: Client, user: User) -> None:
    """Open a session for `user` as allauth's sign-in would, without the forms.

    For a user with an authenticator app this also writes the record allauth writes when
    the second-factor code is accepted; without it the session would be refused (the MFA
    rule checks that the session passed the second factor, not that one exists). A bare
    `client.force_login` is the way to test a session that skipped the second factor."""
    client.force_login(user)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()


def make_company(name: str = "Acme Imports LLC", **fields: Any) -> Company:
    defaults: dict[str, Any] = {"business_type": "importer", "country": "US"}
    defaults.update(fields)
    return Company.objects.create(legal_name=name, **defaults)


def add_member(company: Company, user: User, role: str) -> Membership:
    return Membership.objects.create(company=company, user=user, role=role)


class PersonaTestCase(TestCase):
    """A world with one persona per role. `self.company` is the company under test."""

    company: Company
    other_company: Company
    third_company: Company
    users: dict[str, User]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.company = make_company("Acme Imports LLC")
        cls.other_company = make_company(
            "Transportes del Norte SA de CV",
            business_type="highway_carrier",
            business_subtype="us_mexico",
            country="MX",
            language="es",
        )
        cls.third_company = make_company("Maple Brokers Inc", business_type="customs_broker")
        cls.users = {}
        for role in MEMBER_ROLES:
            user = make_user(f"{role}@acme.test", mfa=role == "officer")
            add_member(cls.company, user, role)
            cls.users[role] = user
        add_member(cls.third_company, cls.users["consultant"], "consultant")
        cls.users["other"] = make_user("admin@norte.test")
        add_member(cls.other_company, cls.users["other"], "admin")
        for role in PROGRAM_OFFICE:
            cls.users[role] = make_user(f"{role}@cbp.test", program_role=role, mfa=True)

    def login(self, persona: str) -> None:
        self.client.logout()
        if persona != "anonymous":
            sign_in(self.client, self.users[persona])


@dataclass(frozen=True)
class PermissionCase:
    """One URL as the matrix sees it.

    `url` builds the path from the test world (a PersonaTestCase instance), so cases can
    point at objects created in `setup`. `allow` names the personas that get a success
    answer; every other signed-in persona must get 404 (never 403), and anonymous gets a
    redirect to the sign-in page (pages) or 401/403 (API, `api=True`). A public URL (no
    sign-in needed) puts "anonymous" in `allow`: `PUBLIC` allows everyone.
    """

    name: str
    url: Callable[[Any], str]
    allow: frozenset[str]
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    api: bool = False
    setup: Callable[[Any], None] | None = None
    # Status codes that count as success for an allowed persona.
    ok: tuple[int, ...] = (200, 201, 204, 302)
    # URL names (namespace:name) this case covers, when `name` alone is not one.
    covers: tuple[str, ...] = field(default=())
