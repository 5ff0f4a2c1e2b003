"""Database deployment options: the PostgreSQL connection pool (DATABASE_POOL) and the
read replica for the program office's read-only pages (DATABASE_REPLICA_URL).

The replica tests need DATABASE_REPLICA_URL (a second PostgreSQL database, configured as
a test mirror of the primary): `.ci/run` runs this file in such a step. The pool tests run
in every PostgreSQL run; the refusal on SQLite in every SQLite run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unittest
import warnings
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.test import SimpleTestCase, TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.replica import ReplicaRouter, reads_from_replica
from portal.testing import PersonaTestCase, shared_database


def ctpat_shell(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SECRET_KEY": "a-process-of-a-test", **env}
    command = [str(Path(sys.executable).with_name("ctpat")), "shell", "-v0", "-c", code]
    return subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=300, check=False
    )


POOL_PROBE = """
from concurrent.futures import ThreadPoolExecutor
from django.db import connection, connections
def query(_):
    with connections['default'].cursor() as c:
        c.execute('select pg_backend_pid()')
        pid = c.fetchone()[0]
    connections['default'].close()  # returns the connection to the pool
    return pid
with ThreadPoolExecutor(8) as pool:
    pids = set(pool.map(query, range(200)))
connection.ensure_connection()
print(type(connection.pool).__name__, connection.pool.max_size, len(pids))
"""


class PoolTests(TransactionTestCase):
    def test_with_database_pool_threads_share_a_few_pooled_connections(self) -> None:
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("the pool is PostgreSQL's (runs in the PostgreSQL run)")
        with shared_database() as url:
            probe = ctpat_shell(POOL_PROBE, DATABASE_URL=url, DATABASE_POOL="true",
                                DATABASE_POOL_MAX="4")  # fmt: skip
        self.assertEqual(probe.returncode, 0, probe.stderr)
        kind, size, backends = probe.stdout.split()
        self.assertEqual((kind, size), ("ConnectionPool", "4"))
        # 200 queries from 8 threads used at most the pool's 4 server connections.
        self.assertLessEqual(int(backends), 4)


class PoolRefusalTests(SimpleTestCase):
    def test_the_pool_on_sqlite_is_refused_naming_the_setting(self) -> None:
        probe = ctpat_shell("print(1)", DATABASE_URL="sqlite:////tmp/x.db", DATABASE_POOL="true")
        self.assertNotEqual(probe.returncode, 0)
        self.assertIn("DATABASE_POOL=true needs a PostgreSQL DATABASE_URL", probe.stderr)


class ReplicaRouterTests(SimpleTestCase):
    def test_writes_always_go_to_the_primary_and_reads_only_when_asked(self) -> None:
        from accounts.models import User

        router = ReplicaRouter()
        with warnings.catch_warnings():  # only the router reads this override
            warnings.simplefilter("ignore")
            replica = self.settings(DATABASES={**settings.DATABASES, "replica": {}})
            replica.enable()
        self.addCleanup(replica.disable)
        self.assertEqual(router.db_for_read(User), "default")
        with reads_from_replica():
            self.assertEqual(router.db_for_read(User), "replica")
            self.assertEqual(router.db_for_write(User), "default")
        self.assertFalse(router.allow_migrate("replica", "core"))


@unittest.skipUnless(
    "replica" in settings.DATABASES, "needs DATABASE_REPLICA_URL (.ci/run's replica step)"
)
class ReplicaPagesTests(PersonaTestCase):
    databases = {"default", "replica"}

    def test_the_program_office_pages_read_from_the_replica(self) -> None:
        self.login("specialist")
        for name in ("certification:deadline-list", "certification:certification-list"):
            with (
                self.subTest(name),
                CaptureQueriesContext(connections["replica"]) as on_replica,
                CaptureQueriesContext(connections["default"]) as on_primary,
            ):
                response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 200)
            self.assertTrue(on_replica.captured_queries, "the page read from the replica")
            reads = [q["sql"] for q in on_primary.captured_queries if "certification_" in q["sql"]
                     and q["sql"].lstrip().upper().startswith("SELECT")]  # fmt: skip
            self.assertEqual(reads, [], "no certification read on the primary")

    def test_other_pages_and_posts_use_the_primary(self) -> None:
        self.login("officer")
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            self.client.get(reverse("companies:company-list"))
            self.client.post(reverse("certification:deadline-list"))
        self.assertEqual(on_replica.captured_queries, [])


class JitTests(TestCase):
    def test_postgresql_compiles_no_query_of_a_request(self) -> None:
        """JIT compiled the training counts (a subquery a person, estimated costly) for
        up to 2 s of a 0.1 s query on every request that ran them (docs/performance.md)."""
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("JIT is PostgreSQL's (runs in the PostgreSQL run)")
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            self.assertEqual(cursor.fetchone(), ("off",))
