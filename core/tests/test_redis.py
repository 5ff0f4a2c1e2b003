"""With REDIS_URL the portal runs its cache (lockout, used TOTP codes, rate limits, the
status card) and, with TASKS_BACKEND=django_tasks_rq.RQBackend, its task queue on Redis.

Runs against the Redis every machine has at 127.0.0.1:6379 (`.ci/run` starts it): the
cache tests in database 13 under a key prefix of their own, which is all they ever
delete; the queue test in database 14. Skipped, with the reason, only where no Redis
answers, and never in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from unittest import SkipTest

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.urls import reverse

from accounts.tests import test_login, test_mfa
from incidents.tests import test_incidents
from partners.models import BusinessPartner, PartnerImport
from partners.tests.test_import_recovery import small_lists
from portal.testing import (
    PASSWORD,
    PrefixedRedisCache,
    add_member,
    make_company,
    make_user,
    shared_database,
)
from questionnaires.tests import test_questionnaires
from verification.tests import test_verification

CACHE_URL = "redis://127.0.0.1:6379/13"
QUEUE_URL = "redis://127.0.0.1:6379/14"
# One prefix per test process: parallel runs and xdist workers never share a key.
PREFIX = f"ctpat-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
ON_REDIS = override_settings(
    CACHES={
        **settings.CACHES,  # the caches in a process's memory stay as they ship
        "default": {
            "BACKEND": "portal.testing.PrefixedRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": PREFIX,
        },
    }
)


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(CACHE_URL, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def require_redis() -> None:
    if redis_answers():
        return
    if os.environ.get("CI"):
        raise AssertionError("CI must have Redis at 127.0.0.1:6379 (.ci/run starts it)")
    raise SkipTest("no Redis answers at 127.0.0.1:6379 (start redis-server to run these)")


def tearDownModule() -> None:
    if redis_answers():
        PrefixedRedisCache(CACHE_URL, {"KEY_PREFIX": PREFIX}).clear()


def ctpat(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `ctpat` in a separate process, configured only through its environment."""
    environment = {
        **os.environ,
        "SECRET_KEY": "another-process-of-a-test",
        "REDIS_URL": CACHE_URL,
        "REDIS_KEY_PREFIX": PREFIX,
        "DEBUG": "false",
        **env,
    }
    command = [str(Path(sys.executable).with_name("ctpat")), *args]
    return subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=300, check=False
    )


class OnRedis:
    """Runs the inherited tests with the cache on Redis, each test from an empty prefix
    (the database cache is rolled back with each test; Redis is not)."""

    @classmethod
    def setUpClass(cls) -> None:
        require_redis()
        super().setUpClass()  # type: ignore[misc]

    def setUp(self) -> None:
        cache.clear()
        super().setUp()  # type: ignore[misc]


@ON_REDIS
class LockoutOnRedisTests(OnRedis, test_login.LockoutTests):
    pass


@ON_REDIS
class TOTPSignInOnRedisTests(OnRedis, test_mfa.TOTPSignInTests):
    pass


@ON_REDIS
class AnonymousReportLimitOnRedisTests(OnRedis, test_incidents.AnonymousReportTests):
    pass


@ON_REDIS
class QuestionnaireLinkLimitOnRedisTests(OnRedis, test_questionnaires.MagicLinkSecurityTests):
    pass


@ON_REDIS
class StatusLookupOnRedisTests(OnRedis, test_verification.LookupTests):
    pass


class RedisSettingsTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        require_redis()
        super().setUpClass()

    def test_with_redis_url_the_portal_starts_and_its_cache_is_in_redis(self) -> None:
        probe = f"probe-{uuid.uuid4().hex}"
        shell = ctpat(
            "shell",
            "-v0",
            "-c",
            "from django.core.cache import cache; from django.conf import settings; "
            f"cache.set('{probe}', 'stored', 60); print(cache.get('{probe}')); "
            "print(settings.CACHES['default']['BACKEND'])",
        )
        self.assertEqual(shell.returncode, 0, shell.stderr)
        self.assertEqual(
            shell.stdout.split(),
            ["stored", "django.core.cache.backends.redis.RedisCache"],
        )
        client = redis.Redis.from_url(CACHE_URL)
        self.assertEqual(len(list(client.scan_iter(match=f"{PREFIX}:*:{probe}"))), 1)


@ON_REDIS
class LockoutAcrossProcessesTests(TransactionTestCase):
    """Two portal processes sharing one Redis share the lockout: failures counted by one
    lock the account in the other (as with gunicorn workers or several machines)."""

    def setUp(self) -> None:
        require_redis()
        cache.clear()
        database = shared_database()
        self.database_url = database.__enter__()
        self.addCleanup(database.__exit__, None, None, None)
        make_user("cy@acme.test")

    def test_failures_in_another_process_lock_the_account_here(self) -> None:
        script = (
            # Pages render without collectstatic's manifest, as in the test process.
            "from django.conf import settings; settings.STORAGES['staticfiles'] = "
            "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}; "
            "from django.test import Client; from django.urls import reverse; c = Client(); "
            f"[c.post(reverse('account_login'), {{'login': 'cy@acme.test', 'password': 'x'}}) "
            f"for _ in range({settings.CTPAT_LOGIN_FAILURES})]"
        )
        other = ctpat(
            "shell",
            "-c",
            script,
            DATABASE_URL=self.database_url,
            ALLOWED_HOSTS="testserver",
            SECURE_COOKIES="false",
        )
        self.assertEqual(other.returncode, 0, other.stderr)
        response = self.client.post(
            reverse("account_login"), {"login": "cy@acme.test", "password": PASSWORD}
        )
        self.assertContains(response, "Too many failed login attempts")
        self.assertNotIn("_auth_user_id", self.client.session)


RQ = "django_tasks_rq.RQBackend"


@override_settings(
    PARTNER_IMPORT_BACKGROUND_ROWS=2,
    TASKS={"default": {"BACKEND": RQ, "QUEUES": ["default"]}},
    RQ_QUEUES={"default": {"URL": QUEUE_URL}},
)
class RQQueueTests(TransactionTestCase):
    """The import screening enqueued on RQ is run by a real `ctpat rqworker`."""

    def setUp(self) -> None:
        require_redis()
        self.lists = small_lists()
        database = shared_database()
        self.database_url = database.__enter__()
        self.addCleanup(database.__exit__, None, None, None)
        self.company = make_company()
        user = make_user("user@acme.test")
        add_member(self.company, user, "user")
        self.client.force_login(user)

    def test_an_import_screening_runs_on_an_rq_worker(self) -> None:
        rows = "name,role,country\n" + "".join(
            f"Fletes {n},highway_carrier,MX\n" for n in ("Norte", "Sur", "Golfo", "Bajío")
        )
        self.client.post(
            reverse("partners:import-create", args=[self.company.pk]),
            {"file": SimpleUploadedFile("p.csv", rows.encode())},
        )
        batch = PartnerImport.objects.get()
        self.client.post(reverse("partners:import-confirm", args=[self.company.pk, batch.pk]))
        batch.refresh_from_db()
        self.assertEqual((batch.screening_total, batch.screened_count), (4, 0))

        env: dict[str, Any] = {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": QUEUE_URL,
            "TASKS_BACKEND": RQ,
            "CTPAT_SHARED_DATA_DIR": self.lists,
        }
        worker = ctpat(
            "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default", **env
        )
        self.assertEqual(worker.returncode, 0, worker.stderr)
        batch.refresh_from_db()
        self.assertTrue(batch.screening_done, worker.stderr)
        counts = BusinessPartner.objects.annotate(n=Count("screenings")).values_list("n", flat=True)
        self.assertEqual(sorted(counts), [1, 1, 1, 1])
