"""The declared importer: headers in English or Spanish, required and parsed cells, one
problem type naming row, column, value and the fix, and all-or-nothing writes."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase, TestCase
from django.utils import translation

from core.importing import (
    Column,
    Importer,
    ImportRefused,
    Invalid,
    RowCheck,
    template_response,
)
from portal.testing import filled_template


def _score(text: str) -> int:
    if not text.isdigit():
        raise Invalid("Write a whole number, e.g. 7.")
    return int(text)


class Scores(Importer[dict[str, Any]]):
    columns = (
        Column("name", "nombre", aliases=("full name",), required=True, max_length=10),
        Column("score", "puntuación", required=True, parse=_score),
        Column("note", "nota"),
    )

    def __init__(self) -> None:
        self.written: list[dict[str, Any]] = []

    def build_row(self, row: RowCheck) -> dict[str, Any] | None:
        if row.ok and row.values["score"] > 10:
            row.fail("score", "At most 10; write a score from 0 to 10.")
        return dict(row.values)

    def write(self, rows: list[dict[str, Any]]) -> int:
        self.written.extend(rows)
        return len(rows)


class DeclaredImporterTests(SimpleTestCase):
    def test_spanish_and_alias_headers_are_read_as_the_declared_columns(self) -> None:
        checked = Scores().check(b"Nombre;PUNTUACION\nAna;7\n", "s.csv")
        self.assertEqual(checked.problems, [])
        self.assertEqual(checked.rows, [{"name": "Ana", "score": 7, "note": ""}])
        checked = Scores().check(b"Full Name,score,note\nEva,3,ok\n", "s.csv")
        self.assertEqual(checked.rows, [{"name": "Eva", "score": 3, "note": "ok"}])

    def test_every_problem_names_row_column_value_and_the_fix(self) -> None:
        content = b"name,score\nAna,x\n,4\nAlejandro Magno,11\n"
        problems = Scores().check(content, "s.csv").problems
        self.assertEqual(
            [(p.row, p.column, p.value) for p in problems],
            [(2, "score", "x"), (3, "name", ""), (4, "name", "Alejandro Magno")],
        )
        self.assertEqual(problems[0].reason, "Write a whole number, e.g. 7.")
        self.assertIn("fill it in", problems[1].reason)
        self.assertIn("shorten it to at most 10", problems[2].reason)
        self.assertEqual(str(problems[0]), "Row 2, column score: Write a whole number, e.g. 7.")

    def test_a_check_across_columns_runs_only_on_a_readable_row(self) -> None:
        problems = Scores().check(b"name,score\nAna,12\n", "s.csv").problems
        self.assertEqual([(p.row, p.column, p.value) for p in problems], [(2, "score", "12")])

    def test_header_problems_stop_before_the_rows(self) -> None:
        problems = Scores().check(b"name,colour,name\nAna,red,Eva\n", "s.csv").problems
        self.assertEqual(
            [(p.row, p.column) for p in problems], [(1, "colour"), (1, "name"), (1, "score")]
        )
        self.assertIn("unknown column", problems[0].reason)
        self.assertIn("more than once", problems[1].reason)
        self.assertIn("missing", problems[2].reason)

    def test_another_file_type_is_refused_by_its_name(self) -> None:
        [problem] = Scores().check(b"name,score\nAna,1\n", "s.txt").problems
        self.assertIn("Upload a .csv or .xlsx file", problem.reason)

    def test_a_refused_file_writes_nothing(self) -> None:
        importer = Scores()
        with self.assertRaises(ImportRefused) as caught:
            importer.run(b"name,score\nAna,1\nEva,x\n", "s.csv")
        self.assertEqual(importer.written, [])
        self.assertEqual([(p.row, p.column) for p in caught.exception.problems], [(3, "score")])


class TemplateTests(TestCase):
    def test_the_template_speaks_the_readers_language_and_reimports(self) -> None:
        for language, header in (("en", "name,score,note"), ("es", "nombre,puntuación,nota")):
            for kind in ("csv", "xlsx"):
                with self.subTest(language=language, kind=kind), translation.override(language):
                    template = template_response(Scores, kind).content
                    if kind == "csv":
                        self.assertEqual(template.decode().strip(), header)
                    data = filled_template(
                        template, kind, Scores.columns, {"name": "Ana", "score": "5"}
                    )
                    checked = Scores().check(data, f"template.{kind}")
                    self.assertEqual(checked.problems, [])
                    self.assertEqual(checked.rows, [{"name": "Ana", "score": 5, "note": ""}])
