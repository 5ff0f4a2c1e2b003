"""Daily run (cron or systemd timer): enforce the lifecycle clocks and queue reminders."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from certification import deadlines


class Command(BaseCommand):
    help = "Remove members whose suspension response window passed; send deadline reminders."

    def handle(self, *args: Any, **options: Any) -> None:
        made = deadlines.run_daily()
        self.stdout.write(f"{len(made)} reminder(s) queued")
