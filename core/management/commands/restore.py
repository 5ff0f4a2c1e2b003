"""`ctpat restore ARCHIVE`: check a backup archive whole, then restore it into an empty
database and an empty media folder (core/backup.py, docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = "Restore a `ctpat backup` archive into an empty database and media folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the .tar.gz written by `ctpat backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = restore_archive(Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {outcome['engine']} database of {outcome['created_at']} and "
            f"{outcome['files']} uploaded file(s). Next: `ctpat migrate` (if this version is "
            "newer) and start the portal."
        )
