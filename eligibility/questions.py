"""The eligibility questions (data/questions.toml) and the rule that judges the answers.

The question file is data a non-programmer can edit; `load_questions()` reads and checks
it, and a mistake (an unknown business type, a missing Spanish text, a repeated id, a
misspelt field) stops loading with a message naming the question and the field. The app
loads the file at start-up, so a broken file never reaches a user.

A question applies to a company by its business type, sub-type and country. Every
answer is "yes" or "no"; the question says which answer meets the requirement and what
the other answer means: `disqualifies` (the company cannot apply until it is fixed) or
`concern` (CBP judges it case by case; it does not disqualify by itself).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from companies.choices import SUBTYPES, BusinessType
from core.datafiles import read_toml

QUESTIONS_FILE = Path(__file__).resolve().parent / "data" / "questions.toml"

YES, NO = "yes", "no"
ANSWERS = (YES, NO)
DISQUALIFIES, CONCERN = "disqualifies", "concern"
SEVERITIES = (DISQUALIFIES, CONCERN)
TEXT_FIELDS = ("text", "why", "remedy")
REQUIRED_FIELDS = ("id", "business_types", "qualifying_answer", "severity", *TEXT_FIELDS)
OPTIONAL_FIELDS = ("subtypes", "countries", "except_countries")
ALL_TYPES = "all"
_ID = re.compile(r"[a-z0-9_]+")

# Business types whose members are Mexican by definition, whatever country they entered.
HOME_COUNTRY = {BusinessType.MEXICO_LONG_HAUL_CARRIER.value: "MX"}


class QuestionFileError(ValueError):
    """The question file breaks a rule; the message names the question and the field."""


@dataclass(frozen=True)
class Question:
    """One yes/no eligibility requirement, with its texts in every portal language."""

    id: str
    business_types: frozenset[str]
    subtypes: frozenset[str]
    countries: frozenset[str]
    except_countries: frozenset[str]
    qualifying_answer: str
    severity: str
    text: Mapping[str, str]
    why: Mapping[str, str]
    remedy: Mapping[str, str]

    def applies_to(self, business_type: str, subtype: str, country: str) -> bool:
        country = HOME_COUNTRY.get(business_type, country)
        return (
            business_type in self.business_types
            and (not self.subtypes or subtype in self.subtypes)
            and (not self.countries or country in self.countries)
            and country not in self.except_countries
        )

    def meets(self, answer: str) -> bool:
        return answer == self.qualifying_answer

    def localized(self, field: str, language: str | None = None) -> str:
        """`text`, `why` or `remedy` in `language` (the active one by default)."""
        texts: Mapping[str, str] = getattr(self, field)
        code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return texts.get(code) or texts[settings.LANGUAGE_CODE]

    @property
    def label(self) -> str:
        return self.localized("text")

    @property
    def why_text(self) -> str:
        return self.localized("why")

    @property
    def remedy_text(self) -> str:
        return self.localized("remedy")

    @property
    def disqualifies(self) -> bool:
        return self.severity == DISQUALIFIES


@dataclass(frozen=True)
class QuestionSet:
    """Every question of one version of the file, in the order written."""

    version: str
    questions: tuple[Question, ...]

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def applicable(self, business_type: str, subtype: str, country: str) -> list[Question]:
        return [q for q in self.questions if q.applies_to(business_type, subtype, country)]


@dataclass(frozen=True)
class Outcome:
    """What the answers mean: qualifies unless some answer disqualifies."""

    disqualified_ids: list[str]
    concern_ids: list[str]

    @property
    def qualifies(self) -> bool:
        return not self.disqualified_ids


def evaluate(questions: Iterable[Question], answers: Mapping[str, str]) -> Outcome:
    """Judge complete, clean answers (see `clean_answers`) to the given questions."""
    unmet = [q for q in questions if not q.meets(answers[q.id])]
    return Outcome(
        disqualified_ids=[q.id for q in unmet if q.severity == DISQUALIFIES],
        concern_ids=[q.id for q in unmet if q.severity == CONCERN],
    )


def clean_answers(questions: Iterable[Question], answers: Any) -> dict[str, str]:
    """Check the answers cover exactly these questions, each with "yes" or "no" (true and
    false are accepted too); return them normalised, or raise a ValidationError on
    `answers` naming each unknown, missing or unreadable answer."""
    if not isinstance(answers, Mapping):
        raise ValidationError(
            {"answers": _('Send the answers as an object: {"question id": "yes" or "no"}.')}
        )
    wanted = [q.id for q in questions]
    errors: list[str] = []
    unknown = sorted(set(answers) - set(wanted))
    if unknown:
        errors.append(
            _("Unknown question id: %(ids)s. The questions for this business type are: %(valid)s.")
            % {"ids": ", ".join(map(str, unknown)), "valid": ", ".join(wanted)}
        )
    missing = [qid for qid in wanted if qid not in answers]
    if missing:
        errors.append(_("Missing answer to: %(ids)s.") % {"ids": ", ".join(missing)})
    cleaned: dict[str, str] = {}
    for qid in wanted:
        if qid not in answers:
            continue
        value = _normalise(answers[qid])
        if value is None:
            errors.append(
                _("The answer to %(id)s must be “yes” or “no”, not “%(value)s”.")
                % {"id": qid, "value": answers[qid]}
            )
        else:
            cleaned[qid] = value
    if errors:
        raise ValidationError({"answers": errors})
    return cleaned


def _normalise(value: Any) -> str | None:
    if value is True:
        return YES
    if value is False:
        return NO
    if isinstance(value, str) and value.strip().lower() in ANSWERS:
        return value.strip().lower()
    return None


# ---------------------------------------------------------------------------------------
# Loading and checking the file
# ---------------------------------------------------------------------------------------


@functools.cache
def load_questions(path: Path = QUESTIONS_FILE) -> QuestionSet:
    """Read and check the question file (cached: the file changes only with a release)."""
    data = read_toml(path, error=QuestionFileError)
    return parse_questions(data, source=path.name)


def parse_questions(data: Mapping[str, Any], source: str = "questions") -> QuestionSet:
    unknown_top = set(data) - {"version", "question"}
    if unknown_top:
        raise QuestionFileError(
            f"{source}: unknown top-level field(s) {sorted(unknown_top)}; "
            "expected `version` and [[question]] entries"
        )
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise QuestionFileError(f'{source}: `version` is missing; write e.g. version = "2026-11"')
    entries = data.get("question")
    if not isinstance(entries, list) or not entries:
        raise QuestionFileError(f"{source}: no [[question]] entries")
    questions: list[Question] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        question = _parse_question(entry, f"{source}, question {number}")
        if question.id in seen:
            raise QuestionFileError(
                f"{source}, question {number}: duplicate id {question.id!r}; "
                "every id must be unique"
            )
        seen.add(question.id)
        questions.append(question)
    return QuestionSet(version=version, questions=tuple(questions))


def _parse_question(entry: Any, where: str) -> Question:
    if not isinstance(entry, dict):
        raise QuestionFileError(f"{where}: expected a table of fields")
    qid = entry.get("id")
    if isinstance(qid, str):
        where = f"{where} ({qid!r})"
    unknown = set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if unknown:
        raise QuestionFileError(
            f"{where}: unknown field(s) {sorted(unknown)}; "
            f"allowed: {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)}"
        )
    missing = [f for f in REQUIRED_FIELDS if f not in entry]
    if missing:
        raise QuestionFileError(f"{where}: missing field(s) {', '.join(missing)}")
    if not isinstance(qid, str) or not _ID.fullmatch(qid):
        raise QuestionFileError(
            f"{where}: id must be lower-case letters, digits and underscores, not {qid!r}"
        )
    types = _business_types(entry["business_types"], where)
    subtypes = _subtypes(entry.get("subtypes", []), types, where)
    only = _countries(entry.get("countries", []), "countries", where)
    excluded = _countries(entry.get("except_countries", []), "except_countries", where)
    if only and excluded:
        raise QuestionFileError(f"{where}: use either `countries` or `except_countries`, not both")
    answer = entry["qualifying_answer"]
    if answer not in ANSWERS:
        raise QuestionFileError(f'{where}: qualifying_answer must be "yes" or "no", not {answer!r}')
    severity = entry["severity"]
    if severity not in SEVERITIES:
        raise QuestionFileError(
            f'{where}: severity must be "disqualifies" or "concern", not {severity!r}'
        )
    texts = {name: _translations(entry[name], name, where) for name in TEXT_FIELDS}
    return Question(
        id=qid,
        business_types=types,
        subtypes=subtypes,
        countries=only,
        except_countries=excluded,
        qualifying_answer=answer,
        severity=severity,
        **texts,
    )


def _business_types(value: Any, where: str) -> frozenset[str]:
    if value == ALL_TYPES:
        return frozenset(BusinessType.values)
    if not isinstance(value, list) or not value:
        raise QuestionFileError(
            f'{where}: business_types must be "all" or a list such as ["importer"]'
        )
    unknown = [v for v in value if v not in BusinessType.values]
    if unknown:
        raise QuestionFileError(
            f"{where}: unknown business type(s) {unknown}; "
            f"expected {ALL_TYPES!r} or some of: {', '.join(BusinessType.values)}"
        )
    return frozenset(value)


def _subtypes(value: Any, types: frozenset[str], where: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise QuestionFileError(f'{where}: subtypes must be a list such as ["us_mexico"]')
    if not value:
        return frozenset()
    without = sorted(t for t in types if t not in SUBTYPES)
    if without:
        raise QuestionFileError(
            f"{where}: subtypes are given but {', '.join(without)} has no sub-types"
        )
    allowed = {s for t in types for s in SUBTYPES[t]}
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise QuestionFileError(
            f"{where}: unknown sub-type(s) {unknown} for {', '.join(sorted(types))}; "
            f"expected some of: {', '.join(sorted(allowed))}"
        )
    return frozenset(value)


def _countries(value: Any, field: str, where: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise QuestionFileError(f'{where}: {field} must be a list such as ["MX"]')
    known = dict(countries)
    unknown = [v for v in value if v not in known]
    if unknown:
        raise QuestionFileError(
            f"{where}: {field} has unknown country code(s) {unknown}; "
            "use two-letter ISO codes such as MX, CA, US"
        )
    return frozenset(value)


def _translations(value: Any, field: str, where: str) -> dict[str, str]:
    languages = [code for code, _name in settings.LANGUAGES]
    if not isinstance(value, dict):
        raise QuestionFileError(
            f"{where}: {field} needs one text per language: "
            + ", ".join(f"{field}.{code}" for code in languages)
        )
    missing = [code for code in languages if not str(value.get(code, "")).strip()]
    if missing:
        raise QuestionFileError(
            f"{where}: missing translation {', '.join(f'{field}.{c}' for c in missing)}"
        )
    extra = sorted(set(value) - set(languages))
    if extra:
        raise QuestionFileError(
            f"{where}: {field} has text in unknown language(s) {extra}; "
            f"the portal speaks {', '.join(languages)}"
        )
    return {code: str(value[code]).strip() for code in languages}
