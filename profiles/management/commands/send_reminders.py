"""`ctpat send_reminders`: enqueue the e-mail reminders due today.

Run it once a day (cron: `15 6 * * * cd /srv/openctpat && uv run ctpat send_reminders`, or a
systemd timer with `OnCalendar=daily`). Each reminder is recorded before it is enqueued, so
running the command twice the same day, or after a missed day, sends nothing twice; a
worker (`ctpat db_worker`) sends the e-mails. See profiles/reminders.py for the schedule.
"""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from profiles import reminders


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Enqueue the annual-review, evidence-expiry and corrective-action reminders due today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=_date, help="act as if today were YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be sent, send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        due = reminders.enqueue_due(options["date"], dry_run=options["dry_run"])
        verb = "would enqueue" if options["dry_run"] else "enqueued"
        for item in due:
            self.stdout.write(f"{verb}: {reminders.describe(item)}")
        self.stdout.write(f"{len(due)} reminder(s) {verb}.")
