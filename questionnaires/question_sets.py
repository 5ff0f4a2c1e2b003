"""The question sets sent to partners, read from `questionnaires/data/*.toml`.

`questions.toml` holds the answer scale and the question bank (each question cites its MSC
criterion, in English and Spanish); `templates.toml` says which questions each partner role
is asked. Both are read and checked once at start-up (`QuestionnairesConfig.ready`): a
question without Spanish, an unknown criterion, a role without a set or a set naming an
unknown question stops the portal from starting with a message naming the file and entry.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from core.datafiles import read_toml

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "es")
LEVEL_WEIGHTS = {"must": 2, "should": 1}
# Kinds answered by picking among options (the rest take a value or a file).
CHOICE_KINDS = ("scale", "single", "multiple", "yes_no")
_CRITERION_ID = re.compile(r"^\d{1,2}\.\d{1,2}$")


def _pick(texts: dict[str, str], language: str | None = None) -> str:
    lang = (language or get_language() or "en")[:2]
    return texts.get(lang) or texts["en"]


@dataclass(frozen=True)
class Option:
    key: str
    score: float
    weak: bool
    counts: bool
    texts: dict[str, str]

    def label(self, language: str | None = None) -> str:
        return _pick(self.texts, language)


@dataclass(frozen=True)
class Question:
    id: str
    criterion: str
    level: str
    weight: int
    allow_na: bool
    texts: dict[str, str]
    # The partner roles the question applies to; empty means every role of its set.
    roles: tuple[str, ...] = ()
    # How it is answered: "scale" (the shipped answer scale of questions.toml) or one of
    # the kinds a member's own set may use (`questionnaires.builder.KINDS`).
    kind: str = "scale"
    # The answers of a single/multiple choice or yes/no question (not of "scale").
    choices: tuple[Option, ...] = ()
    # A follow-up: asked only when question `show_if[0]` was answered with one of
    # `show_if[1]` ("if no, explain").
    show_if: tuple[str, tuple[str, ...]] | None = None
    required: bool = True

    def text(self, language: str | None = None) -> str:
        return _pick(self.texts, language)

    def applies_to(self, role: str) -> bool:
        return not self.roles or role in self.roles

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    def choice(self, key: str) -> Option | None:
        return next((o for o in self.choices if o.key == key), None)


@dataclass(frozen=True)
class QuestionSet:
    key: str
    version: str
    roles: tuple[str, ...]
    titles: dict[str, str]
    questions: tuple[Question, ...]
    # The shared answer scale of "scale" questions (the shipped sets'); empty for a
    # member's set, whose questions carry their own choices.
    scale: tuple[Option, ...] = ()

    def title(self, language: str | None = None) -> str:
        return _pick(self.titles, language)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def options(self, question: Question) -> tuple[Option, ...]:
        """The answers the partner may pick for `question` (empty for a value or file)."""
        if question.kind == "scale":
            return tuple(o for o in self.scale if o.counts or question.allow_na)
        return question.choices

    def option(self, question: Question, key: str) -> Option | None:
        if question.kind == "scale":
            return next((o for o in self.scale if o.key == key), None)
        return question.choice(key)

    def shown(self, raw: Mapping[str, str]) -> set[str]:
        """IDs of the questions asked given the answers `raw` ({id: stored value}): every
        question without a condition, and each follow-up whose question is itself asked
        and was answered with one of the follow-up's answers. A multiple-choice answer is
        a comma-separated list of keys; any of them may meet the condition."""
        shown: set[str] = set()
        for question in self.questions:
            if question.show_if is None:
                shown.add(question.id)
                continue
            parent, wanted = question.show_if
            given = set(raw.get(parent, "").split(","))
            if parent in shown and given & set(wanted):
                shown.add(question.id)
        return shown

    def for_role(self, role: str) -> QuestionSet:
        """The set as a partner of `role` is asked it: without the questions that name
        other roles (a sea carrier's vessel question is not put to a trucking company)."""
        if not role:
            return self
        return replace(self, questions=tuple(q for q in self.questions if q.applies_to(role)))


@dataclass(frozen=True)
class Bank:
    version: str
    options: tuple[Option, ...]
    sets: dict[str, QuestionSet]

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    def for_role(self, role: str) -> QuestionSet:
        """The questions a partner of this role is sent."""
        return next(s for s in self.sets.values() if role in s.roles).for_role(role)

    def asked(self, template_key: str, role: str) -> QuestionSet | None:
        """The questions of a sent questionnaire: its set, narrowed to the role it was sent
        for."""
        found = self.sets.get(template_key)
        return found.for_role(role) if found is not None else None


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _texts(entry: dict[str, Any], where: str, problems: _Problems) -> dict[str, str]:
    texts = {}
    for lang in LANGUAGES:
        value = entry.get(lang)
        if not isinstance(value, str) or not value.strip():
            problems.add(where, f'"{lang}" text missing; every entry needs English and Spanish.')
        else:
            texts[lang] = value.strip()
    return texts


def _catalogue_levels() -> dict[str, str] | None:
    """Default Must/Should of each criterion of the shipped catalogue, if it is here."""
    path = Path(getattr(settings, "SHARED_DATA_DIR", "")) / "msc" / "criteria.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["requirement"].strip().lower() for row in csv.DictReader(handle)}


def parse(
    questions_doc: dict[str, Any],
    templates_doc: dict[str, Any],
    roles: list[str],
    catalogue: dict[str, str] | None,
) -> Bank:
    """Build the bank from the two parsed TOML documents; raise ImproperlyConfigured with
    every problem found (not just the first)."""
    problems = _Problems()
    options: list[Option] = []
    for i, entry in enumerate(questions_doc.get("option", []), start=1):
        where = f"questions.toml option {i} ({entry.get('key', '?')})"
        score = entry.get("score")
        if not isinstance(score, (int, float)) or not 0 <= score <= 1:
            problems.add(where, "score must be a number from 0 to 1.")
            score = 0.0
        options.append(
            Option(
                key=str(entry.get("key", "")),
                score=float(score),
                weak=bool(entry.get("weak", False)),
                counts=bool(entry.get("counts", True)),
                texts=_texts(entry, where, problems),
            )
        )
    if not any(o.counts and not o.weak and o.score == 1 for o in options):
        problems.add("questions.toml", "the answer scale needs a full-score answer.")
    questions: dict[str, Question] = {}
    for i, entry in enumerate(questions_doc.get("question", []), start=1):
        qid = str(entry.get("id", ""))
        where = f"questions.toml question {i} ({qid or 'no id'})"
        if not qid:
            problems.add(where, "id missing.")
        elif qid in questions:
            problems.add(where, "id used twice; question IDs must be unique.")
        criterion = str(entry.get("criterion", ""))
        level = str(entry.get("level", ""))
        if not _CRITERION_ID.match(criterion):
            problems.add(where, f'criterion "{criterion}" is not an MSC ID such as 3.1.')
        elif catalogue is not None and criterion not in catalogue:
            problems.add(where, f"criterion {criterion} is not in the MSC catalogue.")
        if level not in LEVEL_WEIGHTS:
            problems.add(where, 'level must be "must" or "should".')
        elif catalogue is not None and catalogue.get(criterion, level) != level:
            problems.add(
                where, f"level {level} differs from the catalogue's {catalogue[criterion]}."
            )
        question_roles = entry.get("roles", [])
        if not isinstance(question_roles, list) or not all(
            isinstance(r, str) and r in roles for r in question_roles
        ):
            problems.add(where, f"roles must be a list of partner roles ({', '.join(roles)}).")
            question_roles = []
        weight = entry.get("weight", LEVEL_WEIGHTS.get(level, 1))
        if not isinstance(weight, int) or weight < 1:
            problems.add(where, "weight must be a whole number of at least 1.")
            weight = 1
        questions[qid] = Question(
            id=qid,
            criterion=criterion,
            level=level,
            weight=weight,
            allow_na=bool(entry.get("allow_na", True)),
            texts=_texts(entry, where, problems),
            roles=tuple(question_roles),
        )
    version = str(questions_doc.get("version", ""))
    if not version:
        problems.add("questions.toml", "version missing.")
    sets: dict[str, QuestionSet] = {}
    covered: dict[str, str] = {}
    for key, entry in templates_doc.get("template", {}).items():
        where = f"templates.toml template {key}"
        set_roles = tuple(entry.get("roles", []))
        for role in set_roles:
            if role not in roles:
                problems.add(where, f'role "{role}" is not a partner role.')
            elif role in covered:
                problems.add(where, f'role "{role}" already has the set {covered[role]}.')
            covered[role] = key
        chosen = []
        for qid in entry.get("questions", []):
            if qid not in questions:
                problems.add(where, f'question "{qid}" is not in questions.toml.')
            elif questions[qid].roles and not set(questions[qid].roles) & set(set_roles):
                problems.add(where, f'question "{qid}" applies to none of this set\'s roles.')
            else:
                chosen.append(questions[qid])
        if not chosen:
            problems.add(where, "no questions.")
        if len({q.id for q in chosen}) != len(chosen):
            problems.add(where, "a question is listed twice.")
        sets[key] = QuestionSet(
            key=key,
            version=version,
            roles=set_roles,
            titles=_texts(entry, where, problems),
            questions=tuple(chosen),
            scale=tuple(options),
        )
    for role in roles:
        if role not in covered:
            problems.add("templates.toml", f'partner role "{role}" has no question set.')
    if problems.items:
        raise ImproperlyConfigured(
            "The partner questionnaire data has problems:\n  " + "\n  ".join(problems.items)
        )
    return Bank(version=version, options=tuple(options), sets=sets)


@functools.cache
def bank() -> Bank:
    """The question bank, read and checked once per process."""
    from partners.models import PartnerRole

    questions_doc = read_toml(DATA_DIR / "questions.toml")
    templates_doc = read_toml(DATA_DIR / "templates.toml")
    return parse(questions_doc, templates_doc, list(PartnerRole.values), _catalogue_levels())


def question_set(key: str) -> QuestionSet | None:
    return bank().sets.get(key)
