"""Scale-out on Redis workers: with TASKS_BACKEND=rq a background partner import is split
into tasks of PARTNER_SCREENING_TASK_ROWS partners that two real `ctpat rqworker`
processes share (partners.workflow.screen_import).

Runs against the Redis at 127.0.0.1:6379 (database 13), which `.ci/run` starts; skipped
with the reason only outside CI when no Redis answers (core/tests/test_redis.py).
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
import uuid
from pathlib import Path

import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

from core.tests.test_redis import require_redis
from core.tests.test_rq_workers import RQ, stop, worker
from partners.models import BusinessPartner, PartnerImport, PartnerScreening
from portal.testing import add_member, make_company, make_user, shared_database
from screening.index import clear_cache, default_lists_dir

QUEUE_URL = "redis://127.0.0.1:6379/13"
PARTNERS = 120
TASK_ROWS = 20  # so the import is six tasks
LISTED = ["Aaron Abraham Villa", "Abdiel Padron Madrid", "Abdul Majid Saidi"]


@override_settings(
    PARTNER_IMPORT_BACKGROUND_ROWS=10,
    TASKS={"default": {"BACKEND": RQ, "QUEUES": ["default"]}},
    RQ_QUEUES={"default": {"URL": QUEUE_URL}},
)
class ImportOnTwoWorkersTests(TransactionTestCase):
    def setUp(self) -> None:
        require_redis()
        self.redis = redis.Redis.from_url(QUEUE_URL)
        self.redis.flushdb()  # database 13 is this test's own
        self.addCleanup(clear_cache)
        database = shared_database()
        self.database_url = database.__enter__()
        self.addCleanup(database.__exit__, None, None, None)
        self.tmp = Path(tempfile.mkdtemp(prefix="ctpat-rq-import-"))
        call_command(
            "load_watchlists",
            str(default_lists_dir() / "bis_dpl_2022-09-07"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        self.company = make_company()
        user = make_user("user@acme.test")
        add_member(self.company, user, "user")
        self.client.force_login(user)

    def upload(self) -> PartnerImport:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["name", "role", "country"])
        for n in range(PARTNERS):
            name = LISTED[n // 50] if n % 50 == 7 else f"Fletes del Norte {n} SA de CV"
            writer.writerow([name, "highway_carrier", "MX"])
        self.client.post(
            reverse("partners:import-create", args=[self.company.pk]),
            {"file": SimpleUploadedFile("partners.csv", out.getvalue().encode())},
        )
        batch = PartnerImport.objects.get()
        self.assertEqual(batch.status, PartnerImport.Status.PREVIEW, batch.errors)
        self.client.post(reverse("partners:import-confirm", args=[self.company.pk, batch.pk]))
        batch.refresh_from_db()
        return batch

    def test_two_workers_share_one_background_import(self) -> None:
        suffix = uuid.uuid4().hex[:6]
        names = [f"ctpat-import-a-{suffix}", f"ctpat-import-b-{suffix}"]
        workers = [
            worker(
                name,
                self.database_url,
                str(self.tmp / "index"),
                QUEUE_URL,
                PARTNER_SCREENING_TASK_ROWS=str(TASK_ROWS),
                PARTNER_SCREENING_CHUNK="7",
            )
            for name in names
        ]
        for process in workers:
            self.addCleanup(process.kill)

        batch = self.upload()
        self.assertEqual((batch.screening_total, batch.screened_count), (PARTNERS, 0))
        deadline = time.monotonic() + 50
        while time.monotonic() < deadline:
            batch.refresh_from_db()
            if batch.screening_done or batch.screening_stopped:
                break
            time.sleep(0.5)
        logs = "\n".join(stop(p) for p in workers)

        self.assertTrue(batch.screening_done, logs)
        self.assertEqual((batch.screened_count, batch.alert_count), (PARTNERS, 3))
        counts = BusinessPartner.objects.annotate(n=Count("screenings")).values_list("n", flat=True)
        self.assertEqual(list(counts), [1] * PARTNERS, "every partner screened exactly once")
        alerts = PartnerScreening.objects.filter(trigger="import", status="alert")
        self.assertEqual(
            sorted(alerts.values_list("partner__name", flat=True)),
            sorted(LISTED),
        )

        first = default_task_backend.get_result(batch.screening_task_id)
        self.assertEqual(first.status, TaskResultStatus.SUCCESSFUL, first.errors)
        parts = [
            default_task_backend.get_result(i) for i in dict(first.return_value or {})["tasks"]
        ]
        self.assertEqual(len(parts), PARTNERS // TASK_ROWS)
        self.assertTrue(all(r.status == TaskResultStatus.SUCCESSFUL for r in parts), logs)
        self.assertEqual(sum(dict(r.return_value or {})["partners"] for r in parts), PARTNERS)
        took = {r.worker_ids[-1] for r in parts}
        self.assertEqual(took, set(names), "both workers take a share of the import")
