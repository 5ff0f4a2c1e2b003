"""The shared request counters behind every rate limit (`core.ratelimit`): one statement
per request, the same count for every worker process, a window that starts again."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.core.cache import cache, caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.choices import State
from core import ratelimit
from core.models import RateCounter
from core.tests.test_redis import ON_REDIS, require_redis
from portal.testing import PersonaTestCase
from verification.tests.factories import participating

T0 = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)


class DatabaseCounterTests(TestCase):
    def test_one_statement_counts_a_request(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            count, left = ratelimit.hit("scope:203.0.113.5", 60)
        self.assertEqual(len(queries), 1, [q["sql"] for q in queries])
        self.assertEqual((count, round(left)), (1, 60))

    def test_the_count_lives_in_the_database_for_every_process(self) -> None:
        for _ in range(3):
            ratelimit.hit("scope:203.0.113.5", 60)
        ratelimit.hit("scope:198.51.100.7", 60)
        counts = dict(RateCounter.objects.values_list("name", "hits"))
        self.assertEqual(counts, {"scope:203.0.113.5": 3, "scope:198.51.100.7": 1})

    def test_the_window_starts_again_when_it_ends(self) -> None:
        with time_machine.travel(T0, tick=False):
            self.assertEqual([ratelimit.allow("k", 2, 60) for _ in range(3)], [True, True, False])
        with time_machine.travel(T0 + datetime.timedelta(seconds=59), tick=False):
            self.assertFalse(ratelimit.allow("k", 2, 60))
            self.assertEqual(round(ratelimit.hit("k", 60)[1]), 1)
        with time_machine.travel(T0 + datetime.timedelta(seconds=61), tick=False):
            self.assertEqual(ratelimit.hit("k", 60), (1, 60.0))

    def test_counters_of_ended_windows_are_pruned(self) -> None:
        with time_machine.travel(T0, tick=False):
            ratelimit.hit("old", 60)
        with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
            previous, ratelimit.PRUNE_EVERY = ratelimit.PRUNE_EVERY, 1
            try:
                ratelimit.hit("new", 60)
            finally:
                ratelimit.PRUNE_EVERY = previous
        self.assertEqual(list(RateCounter.objects.values_list("name", flat=True)), ["new"])


class StatusLookupCostTests(PersonaTestCase):
    """The public look-up with the shipped (database) cache: a fixed, small cost."""

    def setUp(self) -> None:
        cache.clear()
        participating(self.company, self.users["officer"], State.CERTIFIED)
        self.url = reverse("api:status-lookup", args=[self.company.account_number])
        self.assertEqual(self.client.get(self.url).status_code, 200)  # caches the card

    def test_a_look_up_costs_one_statement_then_two_in_another_process(self) -> None:
        # One INSERT … ON CONFLICT counts the request; the card answered a moment ago is in
        # this process's memory.
        with self.assertNumQueries(1):
            self.assertEqual(self.client.get(self.url).status_code, 200)
        # A process that has not answered it lately reads the shared cache: one SELECT.
        caches["status_cards"].clear()
        with self.assertNumQueries(2):
            self.assertEqual(self.client.get(self.url).status_code, 200)

    @override_settings(STATUS_LOOKUP_RATE="2/min")
    def test_a_refused_look_up_says_when_to_retry(self) -> None:
        RateCounter.objects.all().delete()
        with time_machine.travel(T0, tick=False):
            self.client.get(self.url)
            self.client.get(self.url)
        with time_machine.travel(T0 + datetime.timedelta(seconds=20), tick=False):
            refused = self.client.get(self.url)
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], "40")


@ON_REDIS
class RedisCounterTests(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        require_redis()
        super().setUpClass()

    def setUp(self) -> None:
        cache.clear()

    def test_redis_counts_with_an_expiry_and_no_database(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual([ratelimit.allow("k", 2, 60) for _ in range(3)], [True, True, False])
        self.assertEqual(len(queries), 0)
        self.assertFalse(RateCounter.objects.exists())
        self.assertEqual(cache.get("k"), 3)  # the same key the cache API reads and deletes
        backend: Any = cache
        raw = backend._cache.get_client(None)
        self.assertTrue(0 < raw.ttl(backend.make_and_validate_key("k")) <= 60)
        cache.delete("k")
        self.assertTrue(ratelimit.allow("k", 2, 60))


class RateCounterStorageTests(TestCase):
    def test_counts_skip_the_write_ahead_log_on_postgresql(self) -> None:
        # Every counted request writes its count; an unlogged table commits it without
        # waiting for a WAL flush (after a crash the counts start again).
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only: SQLite has no unlogged tables")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relpersistence FROM pg_class WHERE relname = %s",
                [RateCounter._meta.db_table],
            )
            self.assertEqual(cursor.fetchone(), ("u",))
