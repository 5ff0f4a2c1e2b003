"""A background import screening whose worker is killed is noticed, shown and resumed.

Runs a real `ctpat db_worker` process on the database of the test (PostgreSQL, or SQLite
copied to a file), with the real screening engine on two of the shared list files.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from partners.models import BusinessPartner, PartnerImport, PartnerScreening
from portal.testing import add_member, make_company, make_user, shared_database

PARTNERS = 1500
CHUNK = 10  # small chunks: many heartbeats, so the kill lands in the middle
LEASE = 2
SMALL_LISTS = ("bis_dpl_2022-09-07", "ofac_consolidated_2025-12-19")


def partner_file() -> bytes:
    rows = ["name,role,country"]
    rows += [f"Transportes Ejemplo {n} SA de CV,highway_carrier,MX" for n in range(PARTNERS)]
    return "\n".join(rows).encode()


def wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up after {seconds} s waiting for {what}")


@override_settings(
    PARTNER_IMPORT_BACKGROUND_ROWS=100,
    TASK_LEASE_SECONDS=LEASE,
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
)
class KilledWorkerTests(TransactionTestCase):
    def setUp(self) -> None:
        lists = tempfile.TemporaryDirectory(prefix="ctpat-lists-")
        self.addCleanup(lists.cleanup)
        (Path(lists.name) / "watchlists").mkdir()
        for name in SMALL_LISTS:
            source = Path(settings.SHARED_DATA_DIR) / "watchlists" / name
            shutil.copytree(source, Path(lists.name) / "watchlists" / name)
        self.lists_dir = lists.name
        database = shared_database()
        self.database_url = database.__enter__()
        self.addCleanup(database.__exit__, None, None, None)
        self.workers: list[subprocess.Popen[bytes]] = []
        self.addCleanup(self._stop_workers)  # before the database goes (cleanups run LIFO)
        self.company = make_company()
        self.user = make_user("user@acme.test")
        add_member(self.company, self.user, "user")
        self.client.force_login(self.user)

    def _stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=30)

    def start_worker(self, *options: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "SECRET_KEY": "worker-of-a-test",
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "0",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "PARTNER_SCREENING_CHUNK": str(CHUNK),
            "CTPAT_SHARED_DATA_DIR": self.lists_dir,
            "DEBUG": "false",
        }
        command = [str(Path(sys.executable).with_name("ctpat")), "db_worker", "--no-reload"]
        worker = subprocess.Popen(
            [*command, "--interval", "0.2", "--no-startup-delay", "-v0", *options],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.workers.append(worker)
        return worker

    def progressed(self, worker: subprocess.Popen[bytes]) -> bool:
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited: {worker.communicate()[1].decode()}")
        return self.batch().screened_count > 0

    def batch(self) -> PartnerImport:
        return PartnerImport.objects.get()

    def test_a_killed_worker_is_shown_as_stopped_and_the_restart_screens_the_rest_once(
        self,
    ) -> None:
        self.client.post(
            reverse("partners:import-create", args=[self.company.pk]),
            {"file": SimpleUploadedFile("partners.csv", partner_file())},
        )
        confirm = reverse("partners:import-confirm", args=[self.company.pk, self.batch().pk])
        self.client.post(confirm)
        self.assertEqual(self.batch().screening_total, PARTNERS)
        task_id = self.batch().screening_task_id

        worker = self.start_worker()
        wait_for(lambda: self.progressed(worker), 120, "the first screened chunk")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        stopped_at = self.batch().screened_count
        self.assertLess(stopped_at, PARTNERS, "the worker finished before it was killed")
        self.assertEqual(DBTaskResult.objects.get(id=task_id).status, TaskResultStatus.RUNNING)

        time.sleep(LEASE + 0.5)  # the lease runs out with no heartbeat
        progress = reverse("partners:import-progress", args=[self.company.pk, self.batch().pk])
        fragment = self.client.get(progress)
        self.assertContains(fragment, f"Screening stopped at {stopped_at:,} of {PARTNERS:,}")
        self.assertContains(fragment, "Restart screening")
        self.assertNotContains(fragment, "hx-trigger")  # no endless polling of a dead task
        self.assertEqual(DBTaskResult.objects.get(id=task_id).status, TaskResultStatus.FAILED)
        spanish = self.client.get(progress, headers={"accept-language": "es"})
        self.assertContains(
            spanish, f"La revisión se detuvo en {stopped_at:,} de {PARTNERS:,}".replace(",", "\xa0")
        )

        restart = reverse("partners:import-restart", args=[self.company.pk, self.batch().pk])
        self.assertRedirects(self.client.post(restart), self.batch().get_absolute_url())
        worker = self.start_worker("--batch")
        _, errors = worker.communicate(timeout=300)
        self.assertEqual(worker.returncode, 0, errors.decode())

        per_partner = BusinessPartner.objects.annotate(n=Count("screenings")).values_list(
            "n", flat=True
        )
        self.assertEqual(sorted(set(per_partner)), [1])  # every partner, exactly once
        self.assertEqual(PartnerScreening.objects.count(), PARTNERS)
        batch = self.batch()
        self.assertTrue(batch.screening_done)
        self.assertEqual(batch.screened_count, PARTNERS)
        self.assertContains(self.client.get(progress), "Screening finished.")
