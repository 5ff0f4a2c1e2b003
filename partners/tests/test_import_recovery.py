"""A background import screening whose worker went silent is stopped, shown and resumed.

The worker itself is killed for real in `test_worker_killed`; these tests set the lease
state directly to cover each rule quickly, with the real engine on two small list files.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from partners import importing, workflow
from partners.models import BusinessPartner, PartnerImport, PartnerScreening
from portal.testing import PersonaTestCase
from screening.index import clear_cache

SMALL_LISTS = ("bis_dpl_2022-09-07", "ofac_consolidated_2025-12-19")


def small_lists() -> str:
    """A shared-data folder with two of the real list files (a fast index)."""
    folder = tempfile.mkdtemp(prefix="ctpat-lists-")
    for name in SMALL_LISTS:
        source = Path(settings.SHARED_DATA_DIR) / "watchlists" / name
        shutil.copytree(source, Path(folder) / "watchlists" / name)
    return folder


@override_settings(TASK_LEASE_SECONDS=60, PARTNER_SCREENING_CHUNK=2)
class ImportRecoveryTests(PersonaTestCase):
    lists: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.lists = small_lists()
        cls.enterClassContext(override_settings(SHARED_DATA_DIR=cls.lists))
        clear_cache()

    @classmethod
    def tearDownClass(cls) -> None:
        clear_cache()
        shutil.rmtree(cls.lists, ignore_errors=True)
        super().tearDownClass()

    def setUp(self) -> None:
        rows = [
            {"name": f"Fletes {n}", "role": "highway_carrier", "country": "MX"}
            for n in ("Norte", "Sur", "Golfo", "Bajío", "Pacífico")
        ]
        full: list[dict[str, Any]] = [{c: "" for c in importing.COLUMNS} | r for r in rows]
        for row in full:
            row.pop("relationship_owner")
            row.update(yearly_volume=0, relationship_owner_id=None)
        partners = importing.write_rows(self.company, full)
        self.batch = PartnerImport.objects.create(
            company=self.company, filename="p.csv", status="done", created_count=5,
            screening_total=5, pending_partner_ids=[p.pk for p in partners],
        )  # fmt: skip
        # A worker screened the first two, then went silent ten minutes ago.
        workflow.screen_partners(partners[:2], trigger="import")
        self.task = DBTaskResult.objects.create(
            status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}},
            task_path="partners.tasks.screen_import", backend_name="default",
            run_after=timezone.now(), started_at=timezone.now(),
        )  # fmt: skip
        PartnerImport.objects.filter(pk=self.batch.pk).update(
            screened_count=2, screening_run="lost-run", screening_task_id=str(self.task.pk),
            screening_heartbeat_at=timezone.now() - timedelta(minutes=10),
        )  # fmt: skip
        self.progress = reverse("partners:import-progress", args=[self.company.pk, self.batch.pk])
        self.restart = reverse("partners:import-restart", args=[self.company.pk, self.batch.pk])

    def screenings_per_partner(self) -> list[int]:
        counts = BusinessPartner.objects.annotate(n=Count("screenings"))
        return sorted(counts.values_list("n", flat=True))

    def test_the_page_says_where_it_stopped_and_the_task_is_no_longer_running(self) -> None:
        self.login("user")
        fragment = self.client.get(self.progress)
        self.assertContains(fragment, "Screening stopped at 2 of 5 partners.")
        self.assertContains(fragment, "Restart screening")
        self.assertNotContains(fragment, "hx-trigger")
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, TaskResultStatus.FAILED)
        self.assertIn("WorkerLost", self.task.exception_class_path)

    def test_restart_screens_only_the_partners_left_and_the_lost_run_writes_nothing(
        self,
    ) -> None:
        self.login("user")
        response = self.client.post(self.restart)
        self.assertRedirects(response, self.batch.get_absolute_url())
        self.assertEqual(self.screenings_per_partner(), [1, 1, 1, 1, 1])
        self.batch.refresh_from_db()
        self.assertTrue(self.batch.screening_done)
        self.assertEqual(self.batch.screened_count, 5)
        # The lost worker wakes up and carries on with its old lease: refused.
        PartnerScreening.objects.filter(partner__in=self.batch.pending_partner_ids[3:]).delete()
        PartnerImport.objects.filter(pk=self.batch.pk).update(
            screening_finished_at=None, pending_partner_ids=list(
                BusinessPartner.objects.values_list("pk", flat=True)
            ),
        )  # fmt: skip
        workflow.screen_import(self.batch.pk, "lost-run")
        self.assertEqual(PartnerScreening.objects.count(), 5)

    def test_restart_is_refused_while_the_run_still_reports_progress(self) -> None:
        PartnerImport.objects.filter(pk=self.batch.pk).update(screening_heartbeat_at=timezone.now())
        self.login("user")
        response = self.client.post(self.restart, follow=True)
        self.assertContains(response, "This screening is still running.")
        self.assertEqual(PartnerScreening.objects.count(), 2)

    def test_recover_tasks_resumes_it_and_gives_up_after_three_automatic_resumes(self) -> None:
        out = StringIO()
        call_command("recover_tasks", stdout=out)
        self.assertIn(f"partner import {self.batch.pk}: stopped at 2 of 5; resumed", out.getvalue())
        self.assertEqual(self.screenings_per_partner(), [1, 1, 1, 1, 1])
        self.batch.refresh_from_db()
        self.assertTrue(self.batch.screening_done)

        PartnerImport.objects.filter(pk=self.batch.pk).update(
            screening_finished_at=None, screening_stopped_at=timezone.now(),
            screening_restarts=workflow.AUTO_RESUMES,
        )  # fmt: skip
        out = StringIO()
        call_command("recover_tasks", stdout=out)
        self.assertIn("left for a person to restart", out.getvalue())
        self.login("user")
        self.assertContains(self.client.get(self.progress), "Restart screening")
