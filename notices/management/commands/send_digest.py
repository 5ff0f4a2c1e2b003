"""`ctpat send_digest`: the daily digest of tasks and notices (`notices.digest`).

Run it once a day after `ctpat send_reminders` (cron: `30 6 * * * … ctpat send_digest`).
Running it twice the same day, or on two machines, sends nobody a second digest.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.cli import iso_date
from notices.digest import send_digest


class Command(BaseCommand):
    help = "Send each person who wants one today's digest of tasks due and unread notices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="act as if today were YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="count the digests; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_digest(options["date"], dry_run=options["dry_run"])
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(f"{count} digest(s) {verb}.")
