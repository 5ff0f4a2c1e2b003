"""The daily jobs run once a day however many schedulers (machines) call them."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from core.models import ScheduledRun
from core.scheduler import run_daily
from portal.testing import shared_database

DAY = datetime.date(2026, 12, 7)


def scheduler(database_url: str, start_at: float) -> subprocess.Popen[str]:
    """Another scheduler process that calls run_daily at the wall-clock instant `start_at`
    (both processes race for the same instant, after their start-up)."""
    script = (
        f"import time; time.sleep(max(0, {start_at!r} - time.time())); "
        "from core.scheduler import run_daily; print('\\n'.join(run_daily()))"
    )
    environment = {
        **os.environ,
        "SECRET_KEY": "a-scheduler-of-a-test",
        "DATABASE_URL": database_url,
        "CTPAT_DAILY_JOBS": "send_reminders,recover_tasks",
        "LOG_LEVEL": "WARNING",
    }
    command = [str(Path(sys.executable).with_name("ctpat")), "shell", "-v0", "-c", script]
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


class TwoSchedulersTests(TransactionTestCase):
    def test_two_schedulers_at_the_same_instant_run_each_job_once(self) -> None:
        with shared_database() as url:
            start_at = time.time() + 8  # after both processes have loaded Django
            processes = [scheduler(url, start_at) for _ in range(2)]
            outputs = [p.communicate(timeout=120) for p in processes]
            for process, (_out, err) in zip(processes, outputs, strict=True):
                self.assertEqual(process.returncode, 0, err)
            lines = sorted(line for out, _err in outputs for line in out.splitlines())
            ran = [line for line in lines if ": ran on " in line]
            skipped = [line for line in lines if ": skipped, " in line]
            jobs = sorted(line.split(":")[0] for line in ran)
            self.assertEqual(jobs, ["recover_tasks", "send_reminders"], lines)
            self.assertEqual(len(skipped), 2, lines)
            runs = list(ScheduledRun.objects.order_by("job"))
            self.assertEqual([r.job for r in runs], ["recover_tasks", "send_reminders"])
            self.assertTrue(all(r.finished_at for r in runs))


@override_settings(CTPAT_DAILY_JOBS=["recover_tasks"], CTPAT_DAILY_LEASE_SECONDS=600)
class OneSchedulerTests(TestCase):
    def test_a_second_call_the_same_day_skips_and_the_next_day_runs(self) -> None:
        self.assertIn("ran on", run_daily(day=DAY)[0])
        self.assertIn("skipped, done", run_daily(day=DAY)[0])
        self.assertIn("ran on", run_daily(day=DAY + datetime.timedelta(days=1))[0])

    def test_the_command_says_what_it_did(self) -> None:
        from io import StringIO

        out = StringIO()
        call_command("run_daily", stdout=out)
        call_command("run_daily", stdout=out)
        self.assertIn("recover_tasks: ran on", out.getvalue())
        self.assertIn("recover_tasks: skipped, done", out.getvalue())

    def test_a_failed_job_releases_the_day_for_the_next_round(self) -> None:
        def broken(job: str) -> None:
            raise RuntimeError("SMTP server down")

        with self.assertRaises(RuntimeError):
            run_daily(day=DAY, run=broken)
        self.assertFalse(ScheduledRun.objects.exists())
        self.assertIn("ran on", run_daily(day=DAY)[0])

    def test_a_claim_whose_machine_died_is_taken_over_after_the_lease(self) -> None:
        started = timezone.now() - datetime.timedelta(seconds=60)
        ScheduledRun.objects.create(job="recover_tasks", day=DAY, host="lost:1", started_at=started)
        self.assertIn("skipped, running on", run_daily(day=DAY)[0])
        ScheduledRun.objects.update(started_at=started - datetime.timedelta(hours=1))
        self.assertIn("ran on", run_daily(day=DAY)[0])
        self.assertIsNotNone(ScheduledRun.objects.get().finished_at)
