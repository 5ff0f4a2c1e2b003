"""`ctpat send_training_reminders`: remind managers of training due soon, overdue or missing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from companies.models import Company
from training.reminders import queue_reminders


class Command(BaseCommand):
    help = (
        "Record the training reminders that fell due (30 days before a due date, after it, "
        "and for courses never taken) and enqueue one e-mail per manager group. Run it daily; "
        "a reminder already sent is never sent again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", type=int, help="only this company (its id)")

    def handle(self, *args: Any, **options: Any) -> None:
        companies = None
        if options["company"] is not None:
            companies = list(Company.objects.filter(pk=options["company"]))
            if not companies:
                raise CommandError(f"no company with id {options['company']}")
        result = queue_reminders(companies)
        self.stdout.write(
            f"{result.recorded} new reminder(s) recorded, {result.emails} e-mail task(s) enqueued"
        )
