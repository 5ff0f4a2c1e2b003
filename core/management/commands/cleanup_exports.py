"""`ctpat cleanup_exports`: delete background exports (and their files) older than
CTPAT_EXPORT_KEEP_HOURS. The daily `ctpat send_reminders` does the same."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.export_jobs import cleanup


class Command(BaseCommand):
    help = "Delete background exports older than CTPAT_EXPORT_KEEP_HOURS with their files."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = cleanup()
        if options["verbosity"] > 0:
            self.stdout.write(f"{removed} old export(s) removed.")
