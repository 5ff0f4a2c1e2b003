"""`ctpat load_catalogue`: the shipped file by default, safe to run again."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from catalogue.models import Catalogue, Criterion
from catalogue.tests.factories import csv_bytes, row, shipped_rows


def _run(*args: str, **options: object) -> str:
    out = StringIO()
    call_command("load_catalogue", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


class LoadCatalogueCommandTests(TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())

    def _file(self, data: bytes, name: str = "c.csv") -> str:
        path = self.tmp / name
        path.write_bytes(data)
        return str(path)

    def test_without_a_file_it_loads_the_shipped_msc_and_its_2023_changes_once(self) -> None:
        first = _run()
        self.assertIn("Loaded CTPAT Minimum Security Criteria 2019 (version 2019)", first)
        self.assertIn(f"{len(shipped_rows())} criteria", first)
        self.assertIn("as amended in 2023 (version 2023) = ", first)
        self.assertIn("changed: 3.9, 5.2, 5.3, 5.4", first)
        second = _run()
        self.assertIn("already loaded from this file", second)
        self.assertIn("nothing changed", second)
        self.assertEqual(Catalogue.objects.count(), 2)
        self.assertEqual(Criterion.objects.count(), 2 * len(shipped_rows()))

    def test_a_file_of_your_own_needs_a_version_and_a_date(self) -> None:
        with self.assertRaisesMessage(CommandError, "give --version and --effective"):
            _run(self._file(csv_bytes([row()])))
        output = _run(self._file(csv_bytes([row()])), version="2024", effective="2024-06-01")
        self.assertIn("CTPAT Minimum Security Criteria 2024 (version 2024)", output)
        catalogue = Catalogue.objects.get()
        self.assertEqual(str(catalogue.effective_date), "2024-06-01")
        self.assertIsNone(catalogue.imported_by)

    def test_a_broken_file_is_refused_with_its_problems_and_nothing_written(self) -> None:
        err = StringIO()
        path = self._file(csv_bytes([row(), row(id="3.4", entity_types="importer;pirate")]))
        with self.assertRaisesMessage(
            CommandError, "refused with 1 problem(s); nothing was written"
        ):
            call_command(
                "load_catalogue",
                path,
                version="2",
                effective="2024-01-01",
                stderr=err,
                stdout=StringIO(),
            )
        self.assertIn("Row 3, column entity_types: “pirate” is not a business type", err.getvalue())
        self.assertEqual(Catalogue.objects.count(), 0)

    def test_a_different_file_under_an_existing_version_is_refused(self) -> None:
        _run()
        with self.assertRaisesMessage(CommandError, "refused"):
            call_command(
                "load_catalogue", self._file(csv_bytes([row()])), version="2019",
                effective="2020-01-01", stderr=StringIO(), stdout=StringIO(),
            )  # fmt: skip
        self.assertEqual(Catalogue.objects.count(), 2)  # 2019 and its 2023 changes

    def test_an_unreadable_path(self) -> None:
        with self.assertRaisesMessage(CommandError, "Cannot read"):
            _run(str(self.tmp / "missing.csv"), version="2", effective="2024-01-01")
