"""Daily jobs that run once a day however many machines run a scheduler.

Each scheduler (the compose `scheduler` service, the systemd timer, on every machine)
calls `ctpat run_daily` every few minutes after DAILY_AT. For each job of
CTPAT_DAILY_JOBS (management commands) it first claims the day in the database: inserting
the (job, day) row of `ScheduledRun` succeeds for exactly one of them (a unique
constraint, so the database decides even when two insert at the same instant); the others
see the row and skip. A claim whose run died without finishing (machine lost) is taken
over under a row lock (`select_for_update`) once older than CTPAT_DAILY_LEASE_SECONDS; a
job that fails releases its claim so that the next round retries it.
"""

from __future__ import annotations

import datetime
import os
import socket
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import ScheduledRun


def this_host() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job: str, day: datetime.date, *, lease_seconds: int) -> bool:
    """True when this process now holds `job` for `day` and must run it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, day=day, host=this_host(), started_at=now)
        return True
    except IntegrityError:
        pass
    with transaction.atomic():
        run = ScheduledRun.objects.select_for_update().get(job=job, day=day)
        if run.finished_at is None and run.started_at < now - datetime.timedelta(
            seconds=lease_seconds
        ):
            run.host, run.started_at = this_host(), now
            run.save(update_fields=["host", "started_at"])
            return True
    return False


def run_daily(
    jobs: Sequence[str] | None = None,
    *,
    day: datetime.date | None = None,
    run: Callable[[str], Any] = call_command,
) -> list[str]:
    """Run every daily job not yet run today by any scheduler; one line per job."""
    jobs = list(jobs if jobs is not None else settings.CTPAT_DAILY_JOBS)
    day = day or timezone.localdate()
    lease = settings.CTPAT_DAILY_LEASE_SECONDS
    lines = []
    for job in jobs:
        if not claim(job, day, lease_seconds=lease):
            holder = ScheduledRun.objects.get(job=job, day=day)
            state = "done" if holder.finished_at else "running"
            lines.append(f"{job}: skipped, {state} on {day} by {holder.host}")
            continue
        try:
            run(job)
        except BaseException:
            ScheduledRun.objects.filter(job=job, day=day, host=this_host()).delete()
            raise
        ScheduledRun.objects.filter(job=job, day=day).update(finished_at=timezone.now())
        lines.append(f"{job}: ran on {day} as {this_host()}")
    return lines
