"""The permission matrix: every URL of ours, as every persona.

Cases come from each app's `tests/permissions.py`. A persona in `allow` must get a success
status; any other signed-in persona must get 404 (another company's objects, or an action
their role lacks, never reveal that the object exists); anonymous visitors are sent to the
sign-in page (HTML) or refused with 401/403 (API).
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from portal.testing import PERSONAS, PermissionCase, PersonaTestCase, sign_in

OUR_APPS = [
    cfg.name for cfg in apps.get_app_configs() if cfg.path and "site-packages" not in cfg.path
] + ["portal"]  # the project's own pages (home, search): not an installed app
# Namespaces that belong to libraries (allauth, admin, i18n) rather than to us.
FOREIGN_PREFIXES = (
    "admin",
    "account_",
    "mfa_",
    "socialaccount",
    "openid_connect",
    "set_language",
    "api:schema",
    "api:docs",
    "healthz",
    # Operations endpoints: no personal data; /metrics has its own protection
    # (portal/tests/test_observability.py).
    "readyz",
    "metrics",
    "home",
    # The field pages' service worker (public JavaScript) and the send queue's "am I still
    # signed in?" question (answers only the asker's own state; portal/tests/test_offline.py).
    "service-worker",
    "offline-session",
)


def cases_of(app: str) -> list[PermissionCase]:
    try:
        module = importlib.import_module(f"{app}.tests.permissions")
    except ModuleNotFoundError:
        return []
    return list(module.CASES)


def all_cases() -> list[PermissionCase]:
    return [case for app in OUR_APPS for case in cases_of(app)]


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


class PermissionMatrixTests(PersonaTestCase):
    def test_every_url_of_ours_has_a_case(self) -> None:
        covered = {c.name for c in all_cases()} | {n for c in all_cases() for n in c.covers}
        ours = {n for n in url_names() if not n.startswith(FOREIGN_PREFIXES)}
        missing = sorted(ours - covered)
        self.assertEqual(missing, [], "URLs without a permission case")

    def check_app(self, app: str) -> None:
        # One signed-in client per persona for the whole walk: signing in once, not per request.
        clients = {persona: self._client_for(persona) for persona in PERSONAS}
        for case in cases_of(app):
            for persona in PERSONAS:
                with self.subTest(url=case.name, method=case.method, persona=persona):
                    self.client = clients[persona]
                    self._check(case, persona)

    def _client_for(self, persona: str) -> Client:
        client = self.client_class()
        if persona != "anonymous":
            sign_in(client, self.users[persona])
        return client

    def _check(self, case: PermissionCase, persona: str) -> None:
        # Whatever one request changes is rolled back, so every persona sees the same world.
        savepoint = transaction.savepoint()
        try:
            if case.setup:
                case.setup(self)
            response = self._request(case)
        finally:
            transaction.savepoint_rollback(savepoint)
        status = response.status_code
        if persona in case.allow:  # includes "anonymous" for public URLs
            self.assertIn(status, case.ok, _body(response))
        elif persona == "anonymous":
            if case.api:
                self.assertIn(status, (401, 403))
            else:
                self.assertEqual(status, 302)
                self.assertIn("/accounts/login/", response["Location"])
        else:
            self.assertEqual(status, 404, _body(response))

    def _request(self, case: PermissionCase) -> Any:
        url = case.url(self)
        data = case.data(self) if case.data else {}
        method = getattr(self.client, case.method)
        sends_file = any(hasattr(value, "read") for value in data.values())
        if case.api and case.method in {"post", "put", "patch"} and not sends_file:
            return method(url, data=json.dumps(data), content_type="application/json")
        return method(url, data=data)


def _body(response: Any) -> str:
    return getattr(response, "content", b"")[:500].decode("utf-8", "replace")


# One test per app, so the parallel runner can spread the matrix over its workers.
def _app_test(app: str) -> Any:
    def test(self: PermissionMatrixTests) -> None:
        self.check_app(app)

    test.__doc__ = f"Every URL of {app}: each persona gets the expected answer."
    return test


for _app in OUR_APPS:
    setattr(PermissionMatrixTests, f"test_{_app}_answers_each_persona", _app_test(_app))
