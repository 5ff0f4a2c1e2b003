"""`ctpat run_daily`: the daily jobs, once a day across every machine (core.scheduler).

Safe to call from several schedulers and as often as wanted: a job already run (or
running) today elsewhere is skipped with the name of the machine that holds it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.scheduler import run_daily


class Command(BaseCommand):
    help = "Run the daily jobs (CTPAT_DAILY_JOBS) unless another scheduler ran them today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("jobs", nargs="*", help="only these jobs (management commands)")

    def handle(self, *args: Any, **options: Any) -> None:
        for line in run_daily(options["jobs"] or None):
            self.stdout.write(line)
