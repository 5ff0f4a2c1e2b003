"""`ctpat load_watchlists [DIR]`: load every list file in DIR as new list versions.

A refused (corrupt or truncated) file is reported and leaves the active version of its
list in place; the command then exits with an error so that scheduled runs notice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.index import active_index, clear_cache, default_lists_dir, directory_load
from screening.models import ListVersion


class Command(BaseCommand):
    help = "Load every watchlist file found in DIR (default: the shared watchlists folder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", nargs="?", type=Path, help="folder with list files")
        parser.add_argument(
            "--allow-truncated-tail",
            action="store_true",
            help="accept a file whose last row is cut off, dropping that row (it is counted)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"] or default_lists_dir()
        result = directory_load(directory, allow_truncated_tail=options["allow_truncated_tail"])
        for note in result.skipped:
            self.stderr.write(f"skipped: {note}")
        for loaded in sorted(result.loaded, key=lambda item: item.version.list_date):
            version, diff, created = ListVersion.store(loaded)
            label = f"{version.source} {version.list_date:%Y-%m-%d} ({version.file_format})"
            if not created:
                self.stdout.write(f"{label}: already loaded (sha256 {version.sha256[:12]}…)")
                continue
            counts = version.counts
            self.stdout.write(
                f"{label}: {counts.get('entities', 0)} entities, "
                f"{counts.get('aliases', 0)} aliases; "
                + (
                    "active"
                    if version.active
                    else "stored, not active (an active version is newer)"
                )
            )
            if counts.get("truncated_rows_dropped"):
                self.stderr.write(
                    f"{label}: {counts['truncated_rows_dropped']} truncated last row dropped"
                )
            if diff is not None:
                self.stdout.write(f"  changes: {diff.summary()}")
                for kind in ("added", "removed", "changed"):
                    ids = getattr(diff, kind)
                    if ids:
                        more = f" … (+{len(ids) - 20})" if len(ids) > 20 else ""
                        self.stdout.write(f"  {kind}: {', '.join(ids[:20])}{more}")
            else:
                self.stdout.write("  first version of this list")
        clear_cache()
        # Build and store the index of the now active versions here, once, so that no
        # web or task process has to.
        _, versions = active_index()
        if versions:
            self.stdout.write(f"screening index ready for {len(versions)} active list(s)")
        for error in result.errors:
            self.stderr.write(f"refused: {error}")
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} file(s) refused; the active versions of their lists are kept"
            )
