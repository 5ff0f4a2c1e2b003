"""The question file: the real one loads, and a broken one is refused with a clear message."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path
from typing import Any

from django.test import SimpleTestCase

from companies.choices import BusinessType
from eligibility.questions import (
    QUESTIONS_FILE,
    QuestionFileError,
    load_questions,
    parse_questions,
)
from eligibility.tests.factories import DefaultLanguage


def _question(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "sample",
        "business_types": ["importer"],
        "qualifying_answer": "yes",
        "severity": "disqualifies",
        "text": {"en": "Question?", "es": "¿Pregunta?"},
        "why": {"en": "Because.", "es": "Porque."},
        "remedy": {"en": "Fix it.", "es": "Corríjalo."},
    }
    entry.update(overrides)
    return entry


def _parse(*entries: dict[str, Any]) -> Any:
    return parse_questions({"version": "t", "question": list(entries)}, source="test.toml")


class RealFileTests(DefaultLanguage, SimpleTestCase):
    def test_the_shipped_file_loads(self) -> None:
        questions = load_questions()
        self.assertGreater(len(questions.questions), 40)
        self.assertTrue(questions.version)

    def test_every_business_type_has_questions_of_its_own(self) -> None:
        questions = load_questions().questions
        for business_type in BusinessType.values:
            own = [q for q in questions if q.business_types == {business_type}]
            with self.subTest(business_type):
                self.assertGreaterEqual(len(own), 2)

    def test_the_file_reads_as_plain_toml(self) -> None:
        # A non-programmer edits this file; it must stay ordinary TOML without tricks.
        with QUESTIONS_FILE.open("rb") as handle:
            data = tomllib.load(handle)
        self.assertEqual(set(data), {"version", "question"})


class BrokenFileTests(DefaultLanguage, SimpleTestCase):
    def assertRefused(self, fragment: str, *entries: dict[str, Any]) -> None:
        with self.assertRaises(QuestionFileError) as caught:
            _parse(*entries)
        self.assertIn(fragment, str(caught.exception))

    def test_a_valid_entry_parses(self) -> None:
        parsed = _parse(_question())
        self.assertEqual(parsed.questions[0].id, "sample")

    def test_it_refuses_an_unknown_business_type_and_lists_the_valid_ones(self) -> None:
        self.assertRefused(
            "unknown business type(s) ['imprter']", _question(business_types=["imprter"])
        )
        self.assertRefused("third_party_logistics", _question(business_types=["imprter"]))

    def test_it_refuses_a_missing_translation_naming_it(self) -> None:
        self.assertRefused(
            "'sample'): missing translation remedy.es", _question(remedy={"en": "Fix it."})
        )

    def test_it_refuses_an_empty_translation(self) -> None:
        self.assertRefused("missing translation text.es", _question(text={"en": "Q?", "es": " "}))

    def test_it_refuses_a_duplicate_id(self) -> None:
        self.assertRefused("question 2: duplicate id 'sample'", _question(), _question())

    def test_it_refuses_a_misspelt_field(self) -> None:
        self.assertRefused("unknown field(s) ['remdy']", _question(remdy={"en": "x", "es": "y"}))

    def test_it_refuses_a_missing_field(self) -> None:
        entry = _question()
        del entry["severity"]
        self.assertRefused("missing field(s) severity", entry)

    def test_it_refuses_an_unknown_severity(self) -> None:
        self.assertRefused(
            'severity must be "disqualifies" or "concern"', _question(severity="fatal")
        )

    def test_it_refuses_an_answer_other_than_yes_or_no(self) -> None:
        self.assertRefused(
            'qualifying_answer must be "yes" or "no"', _question(qualifying_answer=True)
        )

    def test_it_refuses_a_sub_type_of_another_business_type(self) -> None:
        self.assertRefused(
            "unknown sub-type(s) ['nvocc'] for highway_carrier",
            _question(business_types=["highway_carrier"], subtypes=["nvocc"]),
        )

    def test_it_refuses_sub_types_for_a_type_without_any(self) -> None:
        self.assertRefused("importer has no sub-types", _question(subtypes=["us_mexico"]))

    def test_it_refuses_an_unknown_country_code(self) -> None:
        self.assertRefused("unknown country code(s) ['MEX']", _question(countries=["MEX"]))

    def test_it_refuses_both_country_filters(self) -> None:
        self.assertRefused(
            "either `countries` or `except_countries`",
            _question(countries=["MX"], except_countries=["CA"]),
        )

    def test_it_refuses_an_id_with_spaces(self) -> None:
        self.assertRefused("id must be lower-case", _question(id="Has bond"))

    def test_it_refuses_a_file_without_version(self) -> None:
        with self.assertRaisesMessage(QuestionFileError, "`version` is missing"):
            parse_questions({"question": [_question()]})

    def test_it_names_the_file_and_line_when_the_toml_is_broken(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "questions.toml"
            path.write_text('version = "x"\n[[question]\nid = ', encoding="utf-8")
            with self.assertRaisesMessage(QuestionFileError, "questions.toml, line 2, column"):
                load_questions(path)
