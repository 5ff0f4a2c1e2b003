"""`ctpat send_reminders`: the one daily reminder run (`core.reminders`).

Run it once a day (cron: `15 6 * * * cd /srv/openctpat && uv run ctpat send_reminders`, or
a systemd timer with `OnCalendar=daily`). It runs the registered daily steps (the
suspension clock), records each reminder that reached a stage once, and queues one e-mail
per person and company for a worker (`ctpat db_worker`) to send. Running it twice, or on
two machines, sends nothing twice; a missed day sends the stage reached.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core import reminders
from core.cli import iso_date


class Command(BaseCommand):
    help = (
        "Send the reminders due today of every registered kind (annual review, evidence "
        "expiry, corrective actions, training, certification clocks), each once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="act as if today were YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be sent; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        due = reminders.send_reminders(options["date"], dry_run=dry_run)
        verb = "would send" if dry_run else "queued"
        for item in due:
            self.stdout.write(f"{verb}: {item.describe()}")
        self.stdout.write(f"{len(due)} reminder(s) {verb}.")
