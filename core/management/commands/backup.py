"""`ctpat backup DEST`: one archive with a consistent database dump and every uploaded file,
with a manifest of SHA-256 sums (core/backup.py, docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database and the uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination", help="archive file to write, or a folder to write a dated one in"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = create_backup(Path(options["destination"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            f"Wrote {path}: {manifest['database']['engine']} database and {media} uploaded file(s)."
        )
