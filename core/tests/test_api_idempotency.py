"""Every API create honours `Idempotency-Key`: a retry returns the first answer and makes
nothing new, the same key with another request is refused, a malformed key is refused.

The walk over the URL resolver fails when a POST route appears whose view does not honour
the header, so a new endpoint cannot forget it.
"""

from __future__ import annotations

import threading
import unittest
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection
from django.test import TransactionTestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from core.idempotency import IdempotentPostMixin
from core.models import ApiIdempotencyKey
from personnel.models import Employee
from portal.testing import PersonaTestCase, add_member, make_company, make_user

# POST routes that create nothing and so need no key (a pure check of an identifier).
NOT_WRITES = {"api:identifier-validate"}


def post_routes() -> Iterator[tuple[str, Any, bool]]:
    """(URL name, view class or function, whether it takes a pk) of every API POST route."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner.strip(":"))
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}", pattern

    for name, pattern in walk(get_resolver().url_patterns, ""):
        if not name.startswith("api:"):
            continue
        callback = pattern.callback
        view = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None)
        methods = set(actions) if actions is not None else set()
        if view is not None and actions is None:  # an APIView or @api_view function
            methods = {m for m in view.http_method_names if hasattr(view, m)}
        accepted = set(getattr(view, "http_method_names", ())) if view is not None else set()
        if "post" in methods and "post" in accepted:
            yield name, view, "pk" in pattern.pattern.regex.groupindex


class IdempotencyKeyOnEveryCreateTests(PersonaTestCase):
    def setUp(self) -> None:
        self.api = APIClient()
        self.api.force_authenticate(self.users["admin"])

    def payloads(self) -> dict[str, Callable[[], dict[str, Any]]]:
        company = self.company.pk
        return {
            "api:address-list": lambda: {
                "company": company,
                "kind": "warehouse",
                "street": "1 Dock Rd",
                "city": "Laredo",
                "country": "US",
            },
            "api:employee-list": lambda: {
                "company": company,
                "first_name": "Ana",
                "last_name": "Ruiz",
            },
            "api:training-course-list": lambda: {
                "company": company,
                "code": "threat_awareness",
                "title_en": "Threat awareness",
                "criteria": ["12.10"],
            },
            "api:incident-list": lambda: {
                "company": company,
                "kind": "tampering",
                "title": "Cut padlock on trailer 53",
                "description": "Found at the 06:00 yard round.",
                "occurred_at": "2026-03-02T06:00:00Z",
                "location": "TGHU7654321",
            },
        }

    def test_every_api_post_route_honours_the_key(self) -> None:
        routes = [(name, view) for name, view, _pk in post_routes() if name not in NOT_WRITES]
        self.assertGreater(len(routes), 30)
        for name, view in routes:
            with self.subTest(route=name):
                self.assertTrue(
                    isinstance(view, type) and issubclass(view, IdempotentPostMixin),
                    f"{name} takes POST but ignores Idempotency-Key: base it on TenantViewSet "
                    "or core.idempotency.IdempotentPostMixin",
                )

    def test_a_malformed_key_is_refused_on_every_post_route_and_names_the_header(self) -> None:
        for name, _view, takes_pk in post_routes():
            if name in NOT_WRITES:
                continue
            url = reverse(name, kwargs={"pk": 999999} if takes_pk else None)
            with self.subTest(route=name):
                answer = self.api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="twice")
                self.assertEqual(answer.status_code, 400, answer.content)
                self.assertIn("Idempotency-Key", answer.json())
        self.assertFalse(ApiIdempotencyKey.objects.exists())

    def test_a_retry_with_the_same_key_returns_the_first_answer_and_creates_once(self) -> None:
        for name, payload in self.payloads().items():
            url = reverse(name)
            key = str(uuid.uuid4())
            model = None
            with self.subTest(route=name):
                first = self.api.post(url, payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
                self.assertEqual(first.status_code, 201, first.content)
                model = type(self.model_of(name, first.json()["id"]))
                count = model._default_manager.count()
                again = self.api.post(url, payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
                self.assertEqual(again.status_code, first.status_code)
                self.assertEqual(again.content, first.content)
                self.assertEqual(again.get("Location"), first.get("Location"))
                self.assertEqual(model._default_manager.count(), count)

    def test_the_same_key_with_another_body_is_refused_with_a_code(self) -> None:
        for name, payload in self.payloads().items():
            url = reverse(name)
            key = str(uuid.uuid4())
            with self.subTest(route=name):
                first = self.api.post(url, payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
                self.assertEqual(first.status_code, 201, first.content)
                changed = {**payload(), "title": "Something else", "city": "Nuevo Laredo"}
                changed["last_name"] = "Soto"
                other = self.api.post(url, changed, format="json", HTTP_IDEMPOTENCY_KEY=key)
                self.assertEqual(other.status_code, 422, other.content)
                self.assertEqual(other.json()["code"], "idempotency_key_reused")

    def test_the_same_key_on_another_endpoint_is_refused(self) -> None:
        key = str(uuid.uuid4())
        payloads = self.payloads()
        first = self.api.post(
            reverse("api:employee-list"),
            payloads["api:employee-list"](),
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        self.assertEqual(first.status_code, 201)
        other = self.api.post(
            reverse("api:address-list"),
            payloads["api:address-list"](),
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        self.assertEqual(other.status_code, 422)

    def test_a_refused_request_does_not_use_up_its_key(self) -> None:
        key = str(uuid.uuid4())
        url = reverse("api:employee-list")
        refused = self.api.post(url, {"company": self.company.pk}, HTTP_IDEMPOTENCY_KEY=key)
        self.assertEqual(refused.status_code, 400)
        fixed = self.api.post(
            url, self.payloads()["api:employee-list"](), format="json", HTTP_IDEMPOTENCY_KEY=key
        )
        self.assertEqual(fixed.status_code, 201, fixed.content)

    def test_keys_belong_to_their_user(self) -> None:
        key = str(uuid.uuid4())
        url = reverse("api:employee-list")
        body = self.payloads()["api:employee-list"]()
        self.api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        self.api.force_authenticate(self.users["officer"])
        theirs = self.api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        self.assertEqual(theirs.status_code, 201)
        self.assertEqual(Employee.objects.filter(company=self.company).count(), 2)

    def model_of(self, name: str, pk: int) -> Any:
        from companies.models import Address
        from incidents.models import Incident
        from training.models import Course

        models: dict[str, Any] = {
            "api:address-list": Address,
            "api:employee-list": Employee,
            "api:training-course-list": Course,
            "api:incident-list": Incident,
        }
        return models[name].objects.get(pk=pk)


@unittest.skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL")
class ParallelRetryTests(TransactionTestCase):
    """Two requests with one key at the same moment: one object, the same answer twice."""

    def test_parallel_requests_with_one_key_create_once_and_answer_alike(self) -> None:
        company = make_company()
        user = make_user("admin@acme.test")
        add_member(company, user, "admin")
        key = str(uuid.uuid4())
        body = {"company": company.pk, "first_name": "Ana", "last_name": "Ruiz"}
        barrier = threading.Barrier(2)
        answers: list[Any] = []

        def post() -> None:
            client = APIClient()
            client.force_authenticate(user)
            barrier.wait()
            try:
                answers.append(
                    client.post(
                        reverse("api:employee-list"),
                        body,
                        format="json",
                        HTTP_IDEMPOTENCY_KEY=key,
                    )
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(Employee.objects.count(), 1)
        statuses = sorted(a.status_code for a in answers)
        self.assertIn(statuses, ([201, 201], [201, 409]))
        if statuses == [201, 201]:
            self.assertEqual(answers[0].content, answers[1].content)
