"""A bounded schemathesis pass over the whole API: every operation of `/api/v1/schema/`
gets a few generated requests (valid and invalid), sent with the API token of an officer
of a seeded company, and no answer may be a server error or differ from what the schema
documents (status code, content type, body).

It is deterministic (`derandomize`) and bounded (`EXAMPLES` per operation and generation
mode), so it runs in `make test` on SQLite and PostgreSQL. Each request runs in a savepoint
that is rolled back, so every example sees the same seeded world.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from companies.models import Address, Contact, Identifier, ProgramParticipation
from portal.testing import PersonaTestCase

# Generated requests per operation, and more per seeded object a detail operation can name.
EXAMPLES = 6
EXAMPLES_PER_OBJECT = 2
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


def make_api_token(user: User) -> str:
    """An API key with every right the user's role gives (the one place tests make one)."""
    from accounts.tokens import issue_token

    return issue_token(user, name="API fuzz")[1]


def _load_schema() -> Any:
    # The same generator the `/api/v1/schema/` view runs (`SpectacularAPIView(api_version=
    # "v1")`); built at import time so that each operation becomes one test below.
    raw = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    import json

    from drf_spectacular.renderers import OpenApiJsonRenderer

    return schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))


SCHEMA = _load_schema()
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@contextmanager
def _in_process_requests() -> Iterator[None]:
    """Let the WSGI app answer inside the test's transaction.

    Django closes the database connection at the start and end of every request; the test
    client switches that off, and so must we when schemathesis calls the WSGI app directly.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class APIFuzzTests(PersonaTestCase):
    """Every API operation, fuzzed with the token of the main company's officer."""

    token: str
    seeded_ids: dict[str, list[int]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        company = cls.company
        company.countries_of_origin = ["MX", "CN"]
        company.commodities = "Auto parts"
        company.save()
        for part in (
            Address(
                company=company,
                kind="headquarters",
                name="Head office",
                street="1 Main St",
                city="Laredo",
                country="US",
            ),
            Contact(company=company, kind="security", name="Ana Ruiz", email="ana@acme.test"),
            Identifier(company=company, kind="ein", value="12-3456789"),
            ProgramParticipation(company=company, program="aeo", country="MX"),
        ):
            part.full_clean()
            part.save()
        # Some data in other apps, so that list and detail answers carry real objects.
        from applications.models import Application
        from eligibility.tests.factories import make_check
        from personnel.tests.world import make_people
        from questionnaires.tests.test_questionnaires import make_partner
        from risk.tests.factories import make_assessment, make_chain
        from training.programme import seed_company

        make_people(cls)
        make_chain(make_assessment(company))
        make_partner(company)
        make_check(company, cls.users["officer"])
        Application.start(company)
        seed_company(company)
        from tradecompliance import workflow as trade_compliance
        from tradecompliance.models import Status
        from tradecompliance.tests.factories import in_state, pdf

        in_state(company, Status.APPROVED)
        trade_compliance.attach_evidence(company, "risk_mapping", pdf(), by=cls.users["officer"])
        trade_compliance.submit_annual_notification(
            company,
            trade_compliance.Letter(True, "Tested.", "", "", "Dana Price", "COO"),
            by=cls.users["officer"],
        )
        cls.token = make_api_token(cls.users["officer"])
        cls.seeded_ids = {}
        for label, operation in OPERATIONS.items():
            if "{id}" in operation.path:
                cls.seeded_ids[label] = _visible_ids(operation.path, cls.users["officer"])

    def fuzz(self, label: str) -> None:
        operation = OPERATIONS[label]
        app = get_wsgi_application()
        # identity: the in-process transport hands the body over as sent, and a gzipped
        # answer (core.middleware.CompressTextMiddleware) would read as undecodable bytes.
        headers = {"Authorization": f"Token {self.token}", "Accept-Encoding": "identity"}
        ids = self.seeded_ids.get(label, [])
        strategies = []
        for mode in MODES:
            strategies.append(operation.as_strategy(generation_mode=mode))
            strategies += [
                operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
                for pk in ids
            ]

        @settings(
            max_examples=EXAMPLES + EXAMPLES_PER_OBJECT * len(ids),
            derandomize=True,
            database=None,
            # No per-example deadline: the first search loads the screening lists and a
            # shared CI machine stalls; `max_examples` is what bounds the run.
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(strategies))
        def run(case: Any) -> None:
            with _in_process_requests(), transaction.atomic():
                try:
                    response = case.call(app=app, headers=headers)
                    case.validate_response(response, checks=CHECKS, headers=headers)
                finally:
                    transaction.set_rollback(True)

        run()


def _visible_ids(path: str, user: User) -> list[int]:
    """Ids of up to three objects the user sees at this path, so that detail operations are
    tried on real objects as well as on generated (mostly missing) ids."""
    match = resolve(path.replace("{id}", "1"))
    view_class: Any = getattr(match.func, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    if queryset is None or not hasattr(queryset, "for_user"):
        return []
    return list(queryset.for_user(user, "view").order_by("pk").values_list("pk", flat=True)[:3])


def _test_name(label: str) -> str:
    return "test_" + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


for _label in OPERATIONS:

    def _test(self: APIFuzzTests, label: str = _label) -> None:
        self.fuzz(label)

    _test.__doc__ = f"{_label} answers no 5xx and only what the schema documents."
    setattr(APIFuzzTests, _test_name(_label), _test)
