"""`ctpat load_catalogue [FILE]`: import a criteria catalogue version from a data file.

Without FILE it loads the shipped 2019 MSC (SHARED_DATA_DIR/msc/criteria.csv) as
"CTPAT Minimum Security Criteria 2019", version 2019, effective 2020-01-01, then the
published changes since (msc/changes-2023.csv) as version 2023 derived from it
(catalogue/changes.py); `make run` calls it on every start, which is safe because
loading the same files again changes nothing. With FILE, `--version` and `--effective`
are required, since a new file is a new version. With `--changes FILE --base VERSION`,
the changes file is applied to the published version VERSION as a new version.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue import changes, importers
from catalogue.models import Catalogue
from core.cli import iso_date

SHIPPED_CHANGES = (
    # (file under SHARED_DATA_DIR/msc, base version, new version, effective date, name)
    (
        "changes-2023.csv",
        "2019",
        "2023",
        datetime.date(2023, 1, 1),
        "CTPAT Minimum Security Criteria 2019, as amended in 2023",
    ),
)


class Command(BaseCommand):
    help = (
        "Import a criteria catalogue version (CSV, Excel .xlsx or YAML); "
        "see catalogue/importers.py."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version names the catalogue version; it replaces Django's --version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="default: the shipped msc/criteria.csv")
        parser.add_argument("--slug", default=importers.DEFAULT_SLUG, help="catalogue identifier")
        parser.add_argument("--version", dest="catalogue_version", help="catalogue version")
        parser.add_argument("--name", help="default: 'CTPAT Minimum Security Criteria <version>'")
        parser.add_argument("--publisher", default=importers.DEFAULT_PUBLISHER)
        parser.add_argument("--effective", type=iso_date, help="effective date, YYYY-MM-DD")
        parser.add_argument("--changes", help="a changes file (catalogue/changes.py) to apply")
        parser.add_argument("--base", help="with --changes: the version the changes apply to")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["changes"]:
            if not (options["base"] and options["catalogue_version"] and options["effective"]):
                raise CommandError(
                    "--changes makes a new version: give --base, --version and --effective "
                    "(e.g. --base 2019 --version 2023 --effective 2023-01-01)."
                )
            self._derive(
                Path(options["changes"]),
                options["slug"],
                options["base"],
                options["catalogue_version"],
                options["effective"],
                options["name"] or importers.Metadata.default_name(options["catalogue_version"]),
            )
            return
        if options["file"]:
            path = Path(options["file"])
            if not options["catalogue_version"] or not options["effective"]:
                raise CommandError(
                    "A file of your own is a new catalogue version: give --version and "
                    "--effective (e.g. --version 2024 --effective 2024-06-01)."
                )
        else:
            path = Path(settings.SHARED_DATA_DIR) / "msc" / "criteria.csv"
        version = options["catalogue_version"] or importers.DEFAULT_VERSION
        metadata = importers.Metadata(
            slug=options["slug"],
            version=version,
            name=options["name"] or importers.Metadata.default_name(version),
            publisher=options["publisher"],
            effective_date=options["effective"] or importers.DEFAULT_EFFECTIVE,
        )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            result = importers.import_catalogue(data, path.name, metadata)
        except importers.CatalogueImportError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{path.name} was refused with {len(exc.problems)} problem(s); nothing was written."
            ) from exc
        catalogue = result.catalogue
        if result.created:
            count = catalogue.criteria.count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {catalogue} from {path.name}: {count} criteria "
                    f"(SHA-256 {catalogue.source_sha256[:12]}…)."
                )
            )
        else:
            self.stdout.write(
                f"{catalogue} is already loaded from this file "
                f"(SHA-256 {catalogue.source_sha256[:12]}…); nothing changed."
            )
        if not options["file"]:
            for filename, base, version, effective, name in SHIPPED_CHANGES:
                path = Path(settings.SHARED_DATA_DIR) / "msc" / filename
                if path.is_file():
                    self._derive(path, options["slug"], base, version, effective, name)

    def _derive(
        self,
        path: Path,
        slug: str,
        base_version: str,
        version: str,
        effective: datetime.date,
        name: str,
    ) -> None:
        base = Catalogue.objects.filter(slug=slug, version=base_version, published=True).first()
        if base is None:
            raise CommandError(
                f"No published version {base_version} of {slug} to apply changes to."
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            result = changes.derive_version(
                base, data, path.name, version=version, name=name, effective_date=effective
            )
        except changes.ChangesFileError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(f"{path.name} was refused; nothing was written.") from exc
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {result.catalogue} = {base} + {path.name} "
                    f"(changed: {', '.join(result.changed)})."
                )
            )
        else:
            self.stdout.write(f"{result.catalogue} is already loaded; nothing changed.")
