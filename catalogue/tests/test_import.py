"""Importing catalogue files: the shipped CSV, broken files, re-imports, Excel and YAML."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections import Counter

from django.test import TestCase
from openpyxl import Workbook

from catalogue import importers
from catalogue.models import Applicability, Catalogue, Criterion, CriterionQuerySet
from catalogue.tests.factories import (
    SHIPPED,
    URL,
    csv_bytes,
    make_catalogue,
    metadata,
    row,
    shipped_rows,
)

EFFECTIVE = "effective_requirement"  # an annotation of for_business_type()


def _effective_levels(criteria: CriterionQuerySet) -> Counter[str]:
    return Counter(criteria.values_list(EFFECTIVE, flat=True))


def _levels_for(rows: list[dict[str, str]], business_type: str) -> Counter[str]:
    """Must/Should counts for one business type, read straight from the file's rows."""
    levels: Counter[str] = Counter()
    for r in rows:
        if business_type in r["entity_types"].split(";"):
            overrides = dict(
                pair.split(":") for pair in r["requirement_overrides"].split(";") if pair
            )
            levels[overrides.get(business_type, r["requirement"]).lower()] += 1
    return levels


class ShippedCatalogueTests(TestCase):
    rows: list[dict[str, str]]
    result: importers.ImportResult
    catalogue: Catalogue

    @classmethod
    def setUpTestData(cls) -> None:
        cls.rows = shipped_rows()
        cls.result = importers.import_catalogue(
            SHIPPED.read_bytes(), SHIPPED.name, importers.Metadata()
        )
        cls.catalogue = cls.result.catalogue

    def test_every_data_row_becomes_a_criterion(self) -> None:
        self.assertTrue(self.result.created)
        self.assertEqual(self.catalogue.criteria.count(), len(self.rows))
        self.assertEqual(
            sorted(self.catalogue.criteria.values_list("ref_id", flat=True)),
            sorted(r["id"] for r in self.rows),
        )

    def test_catalogue_is_the_2019_msc_effective_2020(self) -> None:
        c = self.catalogue
        self.assertEqual(c.name, "CTPAT Minimum Security Criteria 2019")
        self.assertEqual(c.version, "2019")
        self.assertEqual(c.effective_date, datetime.date(2020, 1, 1))
        self.assertEqual(c.source_sha256, hashlib.sha256(SHIPPED.read_bytes()).hexdigest())
        self.assertTrue(c.published)

    def test_importers_get_the_must_and_should_counts_of_the_file(self) -> None:
        expected = _levels_for(self.rows, "importer")
        got = _effective_levels(self.catalogue.criteria_for("importer"))
        self.assertEqual(got, expected)
        self.assertEqual(
            sum(got.values()),
            len([r for r in self.rows if "importer" in r["entity_types"].split(";")]),
        )

    def test_every_business_type_gets_the_rows_that_name_it(self) -> None:
        for business_type in ("highway_carrier", "customs_broker", "sea_carrier"):
            with self.subTest(business_type):
                got = _effective_levels(self.catalogue.criteria_for(business_type))
                self.assertEqual(got, _levels_for(self.rows, business_type))

    def test_categories_and_focus_areas_come_from_the_file(self) -> None:
        expected = sorted(
            {(int(r["category_number"]), r["category_name"], r["focus_area"]) for r in self.rows}
        )
        self.assertEqual(self.catalogue.categories(), expected)

    def test_criteria_are_in_natural_id_order(self) -> None:
        ids = list(self.catalogue.criteria.values_list("ref_id", flat=True))
        natural = sorted(ids, key=lambda i: tuple(int(p) for p in i.split(".")))
        self.assertEqual(ids, natural)
        self.assertLess(ids.index("4.9"), ids.index("4.10"))

    def test_multi_valued_cells_become_lists(self) -> None:
        source = next(r for r in self.rows if r["id"] == "1.1")
        criterion = self.catalogue.criteria.get(ref_id="1.1")
        self.assertEqual(criterion.sources, source["source"].split())
        self.assertEqual(criterion.msc_documents, source["msc_documents"].split())
        self.assertEqual(criterion.verified_for, source["verified_for"].split(";"))
        self.assertEqual(criterion.evidence, source["evidence"])

    def test_one_applicability_per_listed_business_type(self) -> None:
        expected = sum(len(r["entity_types"].split(";")) for r in self.rows)
        self.assertEqual(
            Applicability.objects.filter(criterion__catalogue=self.catalogue).count(), expected
        )


class BrokenFileTests(TestCase):
    """Each broken file is refused with the row, column and reason; nothing is written."""

    def assertRefused(  # noqa: N802
        self, data: bytes, row: int | None, column: str, reason: str, filename: str = "f.csv"
    ) -> list[importers.Problem]:
        with self.assertRaises(importers.CatalogueImportError) as caught:
            importers.import_catalogue(data, filename, metadata())
        problems = caught.exception.problems
        matching = [
            p for p in problems if p.row == row and p.column == column and reason in p.message
        ]
        self.assertTrue(matching, f"expected row {row}, {column}: {reason!r} in {problems}")
        self.assertEqual(Catalogue.objects.count(), 0)
        self.assertEqual(Criterion.objects.count(), 0)
        self.assertEqual(Applicability.objects.count(), 0)
        return problems

    def test_unknown_business_type(self) -> None:
        data = csv_bytes([row(id="3.1"), row(id="3.4", entity_types="importer;space_carrier")])
        self.assertRefused(data, 3, "entity_types", "“space_carrier” is not a business type")

    def test_bad_requirement_level(self) -> None:
        data = csv_bytes([row(id="3.1", requirement="Maybe")])
        self.assertRefused(data, 2, "requirement", "use Must or Should")

    def test_bad_id_formats(self) -> None:
        for bad in ("3.01", "A.1", "3", "3.1.2", ""):
            with self.subTest(bad):
                data = csv_bytes([row(id=bad, category_number="3")])
                self.assertRefused(data, 2, "id", "is not a criterion ID")

    def test_category_number_must_match_the_id(self) -> None:
        data = csv_bytes([row(id="3.1", category_number="4")])
        self.assertRefused(data, 2, "category_number", "does not match the ID")

    def test_duplicate_id(self) -> None:
        data = csv_bytes([row(id="3.1"), row(id="3.4"), row(id="3.1")])
        self.assertRefused(data, 4, "id", "first used on row 2")

    def test_unknown_column(self) -> None:
        data = csv_bytes([{**row(), "colour": "red"}])
        self.assertRefused(data, 1, "colour", "unknown column")

    def test_missing_column(self) -> None:
        values = row()
        del values["evidence"]
        self.assertRefused(csv_bytes([values]), 1, "evidence", "missing")

    def test_bad_url(self) -> None:
        data = csv_bytes([row(source=f"{URL} not-a-url")])
        self.assertRefused(data, 2, "source", "“not-a-url” is not a web address")

    def test_missing_source(self) -> None:
        self.assertRefused(csv_bytes([row(source="")]), 2, "source", "at least one source")

    def test_override_for_a_type_the_row_does_not_apply_to(self) -> None:
        data = csv_bytes(
            [row(entity_types="importer", requirement_overrides="customs_broker:Should")]
        )
        self.assertRefused(data, 2, "requirement_overrides", "not in this row's entity_types")

    def test_override_with_a_bad_level_or_shape(self) -> None:
        self.assertRefused(
            csv_bytes([row(requirement_overrides="importer:Sometimes")]),
            2,
            "requirement_overrides",
            "use Must or Should",
        )
        self.assertRefused(
            csv_bytes([row(requirement_overrides="importer=Should")]),
            2,
            "requirement_overrides",
            "business_type:Level pair",
        )

    def test_verified_for_a_type_not_listed(self) -> None:
        data = csv_bytes([row(entity_types="importer", verified_for="importer;sea_carrier")])
        self.assertRefused(data, 2, "verified_for", "not in this row's entity_types")

    def test_empty_required_cells(self) -> None:
        self.assertRefused(csv_bytes([row(summary="")]), 2, "summary", "may not be empty")
        self.assertRefused(csv_bytes([row(entity_types="")]), 2, "entity_types", "at least one")

    def test_one_category_one_name(self) -> None:
        data = csv_bytes([row(id="3.1"), row(id="3.4", category_name="Partners")])
        self.assertRefused(data, 3, "category_name", "on row 2")

    def test_too_long_cell(self) -> None:
        self.assertRefused(csv_bytes([row(evidence="x" * 201)]), 2, "evidence", "too long")

    def test_not_utf8(self) -> None:
        data = csv_bytes([row(summary="Señal")]).replace("ñ".encode(), b"\xf1")
        self.assertRefused(data, None, "", "not UTF-8")

    def test_unsupported_file_type(self) -> None:
        self.assertRefused(csv_bytes([row()]), None, "", "not a supported file type", "f.txt")

    def test_header_only(self) -> None:
        self.assertRefused(csv_bytes([], importers.COLUMNS), None, "", "no criteria rows")

    def test_every_problem_is_listed_at_once(self) -> None:
        data = csv_bytes(
            [row(id="3.1", requirement="Maybe"), row(id="3.4"), row(id="3.5", source="ftp:x")]
        )
        problems = self.assertRefused(data, 2, "requirement", "Must or Should")
        self.assertIn((4, "source"), [(p.row, p.column) for p in problems])
        self.assertIn("Row 4, column source:", "\n".join(str(p) for p in problems))

    def test_a_late_error_in_the_shipped_file_writes_nothing(self) -> None:
        rows = shipped_rows()
        rows[-1]["requirement"] = "Mandatory"
        self.assertRefused(csv_bytes(rows), len(rows) + 1, "requirement", "Must or Should")

    def test_bad_catalogue_metadata(self) -> None:
        with self.assertRaises(importers.CatalogueImportError) as caught:
            importers.import_catalogue(
                csv_bytes([row()]), "f.csv", metadata(slug="no spaces", version="")
            )
        columns = {p.column for p in caught.exception.problems}
        self.assertEqual(columns, {"slug", "version"})
        self.assertEqual(Catalogue.objects.count(), 0)


class ReimportTests(TestCase):
    def test_the_same_file_as_the_same_version_changes_nothing(self) -> None:
        first = importers.import_catalogue(csv_bytes([row()]), "a.csv", metadata())
        again = importers.import_catalogue(csv_bytes([row()]), "renamed.csv", metadata())
        self.assertTrue(first.created)
        self.assertFalse(again.created)
        self.assertEqual(again.catalogue.pk, first.catalogue.pk)
        self.assertEqual(again.catalogue.imported_at, first.catalogue.imported_at)
        self.assertEqual(again.catalogue.source_file_name, "a.csv")
        self.assertEqual(Criterion.objects.count(), 1)

    def test_a_different_file_under_an_existing_version_is_refused(self) -> None:
        importers.import_catalogue(csv_bytes([row()]), "a.csv", metadata())
        with self.assertRaises(importers.CatalogueImportError) as caught:
            importers.import_catalogue(csv_bytes([row(), row(id="3.4")]), "b.csv", metadata())
        [problem] = caught.exception.problems
        self.assertEqual(problem.column, "version")
        self.assertIn("new version", problem.message)
        self.assertEqual(Criterion.objects.count(), 1)

    def test_a_new_version_is_a_new_catalogue(self) -> None:
        old = make_catalogue()
        new = make_catalogue(
            [row(), row(id="3.4")], version="2", effective_date=datetime.date(2024, 6, 1)
        )
        self.assertNotEqual(old.pk, new.pk)
        self.assertEqual(old.criteria.count(), 3)
        self.assertEqual(new.criteria.count(), 2)
        self.assertEqual(Catalogue.objects.latest_published(), new)


class OverrideTests(TestCase):
    def test_an_override_changes_the_level_for_that_type_only(self) -> None:
        catalogue = make_catalogue(
            [
                row(
                    entity_types="importer;customs_broker",
                    requirement_overrides="customs_broker:should",
                )
            ]
        )
        broker = catalogue.criteria_for("customs_broker").get()
        importer = catalogue.criteria_for("importer").get()
        self.assertEqual(broker.effective_requirement, "should")  # type: ignore[attr-defined]
        self.assertEqual(importer.effective_requirement, "must")  # type: ignore[attr-defined]
        self.assertEqual(broker.requirement_for("customs_broker"), "should")
        self.assertEqual(broker.requirement_overrides, {"customs_broker": "should"})


def _xlsx(rows: list[list[str | int | float]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class ExcelImportTests(TestCase):
    def test_the_shipped_criteria_as_a_workbook(self) -> None:
        rows = shipped_rows()
        columns = list(rows[0])
        table: list[list[str | int | float]] = [list(columns)]
        table.extend([r[c] for c in columns] for r in rows)
        data = _xlsx(table)
        result = importers.import_catalogue(data, "criteria.xlsx", metadata())
        self.assertEqual(result.catalogue.criteria.count(), len(rows))
        got = _effective_levels(result.catalogue.criteria_for("importer"))
        self.assertEqual(got, _levels_for(rows, "importer"))

    def test_numeric_category_cells_are_read_as_numbers(self) -> None:
        values = row(id="4.10", category_name="Cybersecurity")
        cells: list[str | int | float] = [values[c] for c in importers.COLUMNS]
        cells[importers.COLUMNS.index("category_number")] = 4
        result = importers.import_catalogue(
            _xlsx([list(importers.COLUMNS), cells]), "c.xlsx", metadata()
        )
        self.assertEqual(result.catalogue.criteria.get().category_number, 4)

    def test_an_id_stored_as_a_number_is_refused(self) -> None:
        values = row(id="3.1")
        cells: list[str | int | float] = [values[c] for c in importers.COLUMNS]
        cells[0] = 3.1
        with self.assertRaises(importers.CatalogueImportError) as caught:
            importers.import_catalogue(
                _xlsx([list(importers.COLUMNS), cells]), "c.xlsx", metadata()
            )
        [problem] = caught.exception.problems
        self.assertEqual((problem.row, problem.column), (2, "id"))
        self.assertIn("as text", problem.message)

    def test_a_file_that_is_not_a_workbook(self) -> None:
        with self.assertRaises(importers.CatalogueImportError) as caught:
            importers.import_catalogue(b"PK\x03\x04 not really", "c.xlsx", metadata())
        self.assertIn("Excel workbook is damaged", str(caught.exception))
        self.assertEqual(Catalogue.objects.count(), 0)


YAML = """
criteria:
  - id: "3.1"
    focus_area: Corporate Security
    category_number: 3
    category_name: Business Partners
    requirement: Must
    entity_types: [importer, customs_broker]
    requirement_overrides: {customs_broker: Should}
    verified_for: [importer]
    summary: Screen business partners.
    source: [https://example.com/a, https://example.com/b]
    evidence: yaml-test
    msc_documents: []
    notes: ""
"""


class YamlImportTests(TestCase):
    def test_lists_and_mappings_are_accepted(self) -> None:
        result = importers.import_catalogue(YAML.encode(), "c.yaml", metadata())
        criterion = result.catalogue.criteria.get()
        self.assertEqual(criterion.entity_types, ["importer", "customs_broker"])
        self.assertEqual(criterion.sources, ["https://example.com/a", "https://example.com/b"])
        self.assertEqual(criterion.requirement_for("customs_broker"), "should")

    def test_an_unquoted_id_is_refused(self) -> None:
        data = YAML.replace('id: "3.1"', "id: 3.10").encode()
        with self.assertRaises(importers.CatalogueImportError) as caught:
            importers.import_catalogue(data, "c.yml", metadata())
        self.assertEqual([(p.row, p.column) for p in caught.exception.problems], [(1, "id")])
