"""`ctpat recover_tasks`: find background jobs whose worker died and resume them.

Run it from cron every few minutes (README, production). A job counts as stopped when its
heartbeat is older than TASK_LEASE_SECONDS; the queue's record of its task is marked
failed, and the job is resumed from where it stopped (a few times at most, then it waits
for a person's Restart on its page).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.tasks import recover_all


class Command(BaseCommand):
    help = "Mark background jobs whose worker died as stopped and resume them."

    def handle(self, *args: Any, **options: Any) -> None:
        lines = recover_all()
        for line in lines:
            self.stdout.write(line)
        if options["verbosity"] > 1 and not lines:
            self.stdout.write("No stopped background job.")
