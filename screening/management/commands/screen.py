"""`ctpat screen INPUT.csv --out OUTPUT.csv [--lists DIR] [--top K] [--min-score S]`

Other tools depend on this contract: INPUT has a header with at least ``id,name``
(optional ``country``, ``address``, ``type``); OUTPUT has the header
``id,rank,score,list,entity_id,matched_name`` with up to K rows per input id, best first,
leaving out scores under S (default: the calibrated alert threshold). A bad input row is
reported on stderr with its line number and skipped. Screening uses every core.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.index import (
    NoUsableLists,
    active_index,
    default_lists_dir,
    directory_index,
    lists_table_ready,
)
from screening_engine import DEFAULT_THRESHOLD, ScreeningIndex, screen_file


class Command(BaseCommand):
    help = "Screen a partner CSV file against the watchlists and write the hits as CSV."
    # Screening needs the models and the lists, not the URLs, templates or admin that the
    # system checks import (seconds at every start of a batch job).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path, help="partner CSV (id,name[,country,address,type])")
        parser.add_argument("--out", type=Path, required=True, help="result CSV to write")
        parser.add_argument(
            "--lists", type=Path, help="load the list files in DIR instead of the database's"
        )
        parser.add_argument("--top", type=int, default=5, help="hits per partner (default 5)")
        parser.add_argument(
            "--min-score",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"leave out scores under S (default {DEFAULT_THRESHOLD}, the alert threshold)",
        )
        parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
        parser.add_argument(
            "--start-row", type=int, default=0, help="first data row to screen (0-based)"
        )
        parser.add_argument(
            "--max-rows", type=int, default=None, help="screen at most this many data rows"
        )
        parser.add_argument(
            "--allow-truncated-tail",
            action="store_true",
            help="with --lists: accept a list file whose last row is cut off (row dropped)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        src: Path = options["input"]
        if not src.is_file():
            raise CommandError(f"{src}: no such file")
        if options["top"] < 1:
            raise CommandError("--top must be at least 1")
        index = self._index(options)
        try:
            partners, written, problems = screen_file(
                index,
                src,
                options["out"],
                top=options["top"],
                min_score=options["min_score"],
                workers=options["workers"],
                start_row=options["start_row"],
                max_rows=options["max_rows"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for problem in problems:
            self.stderr.write(f"{src}: {problem}")
        self.stderr.write(
            f"{partners} partners screened, {written} rows written to {options['out']}, "
            f"{len(problems)} rows skipped"
        )

    def _index(self, options: dict[str, Any]) -> ScreeningIndex:
        directory: Path | None = options["lists"]
        if directory is None:
            if not lists_table_ready():
                # A fresh installation: screening still works from the shipped files.
                self.stderr.write(
                    "the database has no screening tables yet (run `ctpat migrate`, then "
                    "`ctpat load_watchlists` to screen against stored list versions): using "
                    f"the list files in {default_lists_dir()}"
                )
                return self._directory_index(default_lists_dir(), allow_truncated_tail=True)
            index, versions = active_index()
            if not versions:
                self.stderr.write(
                    f"no list version loaded in the database: using the list files in "
                    f"{default_lists_dir()} (a file's cut-off last row is dropped)"
                )
            return index
        if not directory.is_dir():
            raise CommandError(f"{directory}: not a directory")
        return self._directory_index(
            directory, allow_truncated_tail=options["allow_truncated_tail"]
        )

    def _directory_index(self, directory: Path, *, allow_truncated_tail: bool) -> ScreeningIndex:
        try:
            loaded = directory_index(directory, allow_truncated_tail=allow_truncated_tail)
        except NoUsableLists as exc:
            self._notes(exc.errors, exc.skipped)
            raise CommandError(str(exc)) from exc
        self._notes(loaded.errors, loaded.skipped)
        for item in loaded.lists:
            self.stderr.write(
                f"list {item['source']} {item['list_date']}: {item['entities']} entities"
            )
        sys.stderr.flush()
        return loaded.index

    def _notes(self, errors: list[str], skipped: list[str]) -> None:
        for error in errors:
            self.stderr.write(f"list refused: {error}")
        for note in skipped:
            self.stderr.write(f"skipped: {note}")
