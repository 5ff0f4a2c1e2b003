"""Test helpers shared by every app: the cast of personas and the permission-matrix format.

Tests are Django `TestCase` classes that inherit `PersonaTestCase`; `setUpTestData`
builds one world (two member companies, a consultant's third company, program-office
staff) once per class. Each app lists the URLs it exposes in `<app>/tests/permissions.py`
as `CASES = [PermissionCase(...), ...]`; `core/tests/test_permission_matrix.py` walks
every case as every persona and also fails when a URL of ours has no case at all.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.core.cache.backends.redis import RedisCache
from django.db import connections
from django.http import HttpRequest
from django.test import Client, TestCase

from accounts.models import User
from companies.models import Company, Membership
from core.importing import Column

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

    def api_as(self, persona: str) -> Any:
        """An API client carrying a read-write token of the persona."""
        from rest_framework.test import APIClient

        from accounts.tokens import issue_token

        client = APIClient()
        token = issue_token(self.users[persona], name=f"test {persona}")[1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client


@dataclass
class Written:
    """What a block of code wrote: new rows per model and new audit-log entries per
    (model, action). Compare what the page wrote with what the API wrote."""

    rows: dict[str, int] = field(default_factory=dict)
    audit: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(self.rows.values()) or any(self.audit.values())


@contextmanager
def written(*models: type[Any]) -> Iterator[Written]:
    """Count the rows of `models` and the audit-log entries the block adds.

    Used by the page/API parity tests: one action performed once through its page and once
    through the API must write the same kinds of rows (events, screenings, audit entries).
    """
    from auditlog.models import LogEntry

    def counts() -> dict[str, int]:
        return {m._meta.label: m._default_manager.count() for m in models}

    before = counts()
    last_entry = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = Written()
    yield result
    after = counts()
    result.rows = {label: after[label] - before[label] for label in before}
    entries = LogEntry.objects.filter(pk__gt=last_entry).select_related("content_type")
    for entry in entries:
        model = f"{entry.content_type.app_label}.{entry.content_type.model}"
        key = f"{model}:{entry.get_action_display()}"
        result.audit[key] = result.audit.get(key, 0) + 1


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


@contextmanager
def shared_database() -> Iterator[str]:
    """A `DATABASE_URL` at which another process (a real task worker) sees the data of
    the running test; use it in a `TransactionTestCase`, so that writes are committed.

    PostgreSQL: the test database itself. SQLite's in-memory test database is copied to a
    file that this process then uses too, until the block ends (the in-memory database
    is kept open meanwhile, since closing it would destroy it).
    """
    conn = connections["default"]
    settings_dict = conn.settings_dict
    if conn.vendor == "postgresql":
        auth = quote(settings_dict["USER"] or "", safe="")
        if settings_dict["PASSWORD"]:
            auth += ":" + quote(settings_dict["PASSWORD"], safe="")
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or 5432
        yield f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"
        return
    if not conn.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper only
        yield f"sqlite:///{settings_dict['NAME']}"
        return
    with tempfile.TemporaryDirectory(prefix="ctpat-shared-db-") as folder:
        path = Path(folder) / "db.sqlite3"
        conn.ensure_connection()
        memory = conn.connection
        if memory.in_transaction:
            # SQLite's backup would wait for that transaction for ever (it retries while
            # the source is busy): a test before this one left it open.
            raise RuntimeError(
                "the test database has a transaction open (left by an earlier test that "
                "failed?): it cannot be copied for another process"
            )
        target = sqlite3.connect(path)
        memory.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        original = settings_dict["NAME"]
        conn.connection = None
        settings_dict["NAME"] = str(path)
        try:
            yield f"sqlite:///{path}"
        finally:
            conn.close()
            settings_dict["NAME"] = original
            conn.connection = memory


class PrefixedRedisCache(RedisCache):
    """Django's Redis cache whose `clear()` deletes only the keys under its own prefix, so
    that a test run on a shared Redis never flushes another run's (or a portal's) keys."""

    def clear(self) -> None:
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def filled_template(
    template: bytes, kind: str, columns: Iterable[Column], values: dict[str, str]
) -> bytes:
    """A downloaded import template (`kind` "csv" or "xlsx") with one row appended: the
    `values` by English column name, in the template's column order (that of `columns`)."""
    row = [values.get(column.name, "") for column in columns]
    if kind == "csv":
        text = template.decode("utf-8-sig").rstrip("\r\n")
        out = io.StringIO()
        csv.writer(out).writerow(row)
        return (text + "\r\n" + out.getvalue()).encode()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template))
    sheet: Any = book.active
    sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
