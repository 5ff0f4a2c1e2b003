"""Scale-out on Redis workers: with TASKS_BACKEND=rq a new list version's re-screening is
shared by several real `ctpat rqworker` processes, one task per company.

Runs against the Redis at 127.0.0.1:6379 (database 12), which `.ci/run` starts; skipped
with the reason only outside CI when no Redis answers (core/tests/test_redis.py).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

from core.tests.test_redis import require_redis
from partners.models import BusinessPartner, PartnerScreening
from portal.testing import make_company, shared_database
from screening.index import clear_cache, default_lists_dir

QUEUE_URL = "redis://127.0.0.1:6379/12"
RQ = "django_tasks_rq.RQBackend"
COMPANIES = 8


def worker(
    name: str, database_url: str, index_dir: str, queue_url: str = QUEUE_URL, **extra: str
) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "SECRET_KEY": "a-worker-of-a-test",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": queue_url,
        "TASKS_BACKEND": "rq",
        "SCREENING_INDEX_DIR": index_dir,
        "SCREENING_WARM_ON_START": "false",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    command = [str(Path(sys.executable).with_name("ctpat")), "rqworker"]
    command += ["--job-class", "django_tasks_rq.Job", "--name", name, "default"]
    return subprocess.Popen(
        command,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> str:
    """Ask the worker to stop (warm shutdown); its output."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=10)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]


@override_settings(
    TASKS={"default": {"BACKEND": RQ, "QUEUES": ["default"]}},
    RQ_QUEUES={"default": {"URL": QUEUE_URL}},
)
class RescreeningOnTwoWorkersTests(TransactionTestCase):
    def setUp(self) -> None:
        require_redis()
        self.redis = redis.Redis.from_url(QUEUE_URL)
        self.redis.flushdb()  # database 12 is this test's own
        self.addCleanup(clear_cache)
        database = shared_database()
        self.database_url = database.__enter__()
        self.addCleanup(database.__exit__, None, None, None)
        self.tmp = Path(tempfile.mkdtemp(prefix="ctpat-rq-"))
        self.lines = (
            (default_lists_dir() / "bis_dpl_2022-09-07" / "dpl.txt")
            .read_text()
            .splitlines(keepends=True)
        )

    def load(self, lines: list[str], folder: str) -> None:
        path = self.tmp / folder
        path.mkdir()
        (path / "dpl.txt").write_text("".join(lines))
        call_command("load_watchlists", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    def test_two_workers_share_the_per_company_rescreening(self) -> None:
        self.load(self.lines, "dpl_2022-09-07")
        for n in range(COMPANIES):
            company = make_company(f"Importer {n}")
            BusinessPartner.objects.create(
                company=company, name=f"Fletes {n}", role="highway_carrier", country="MX"
            )
            BusinessPartner.objects.create(
                company=company, name="Naviera Oscura Internacional", role="forwarder",
                country="PA",
            )  # fmt: skip
        suffix = uuid.uuid4().hex[:6]
        names = [f"ctpat-test-a-{suffix}", f"ctpat-test-b-{suffix}"]
        workers = [worker(name, self.database_url, str(self.tmp / "index")) for name in names]
        for process in workers:
            self.addCleanup(process.kill)

        v2 = list(self.lines)
        v2[3] = v2[3].replace("ABDIEL PADRON MADRID", "NAVIERA OSCURA INTERNACIONAL")
        self.load(v2, "dpl_2022-10-01")  # activates v2: the signal enqueues on Redis
        queued = self.redis.lrange("rq:queue:default", 0, -1)
        (job_id,) = [str(k, "ascii").split(":")[-1] for k in queued]  # type: ignore[arg-type]

        deadline = time.monotonic() + 240
        company_tasks: list[str] = []
        results = []
        while time.monotonic() < deadline:
            first = default_task_backend.get_result(job_id)
            if first.status == TaskResultStatus.SUCCESSFUL:
                company_tasks = dict(first.return_value or {})["tasks"]
                results = [default_task_backend.get_result(i) for i in company_tasks]
                if all(r.status == TaskResultStatus.SUCCESSFUL for r in results):
                    break
            self.assertNotEqual(first.status, TaskResultStatus.FAILED, first.errors)
            time.sleep(0.5)
        logs = "\n".join(stop(p) for p in workers)

        self.assertEqual(len(company_tasks), COMPANIES, logs)
        self.assertTrue(
            all(r.status == TaskResultStatus.SUCCESSFUL for r in results),
            [(r.status, r.errors) for r in results],
        )
        took = {r.worker_ids[-1] for r in results}
        self.assertEqual(took, set(names), "both workers take a share of the companies")
        self.assertEqual(
            sorted(dict(r.return_value or {})["company"] for r in results),
            sorted(set(BusinessPartner.objects.values_list("company_id", flat=True))),
        )
        alerts = PartnerScreening.objects.filter(trigger="list_update", status="alert")
        self.assertEqual(
            sorted(alerts.values_list("partner__name", flat=True)),
            ["Naviera Oscura Internacional"] * COMPANIES,
        )
