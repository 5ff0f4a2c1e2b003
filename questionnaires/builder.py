"""A member's own question set: its document, checks, import and export.

A member's set is one document in the shape of the shipped data files: the `[[question]]`
entries of `questions.toml` and one `[template.<key>]` table of `templates.toml`, in a single
TOML (or YAML, same keys) file. On top of the shipped keys a question may carry:

- `type`: single, multiple, yes_no, date, number, text or file (default: single, with the
  file's `[[option]]` answer scale, so a shipped-style file imports as it is);
- `choice`: the answers of a single or multiple choice question (`key`, `score` 0–1,
  optional `weak`, `counts`, and `en`/`es`); yes/no questions have fixed answers;
- `show_if = { question = "<id>", answers = ["no"] }`: a follow-up asked only when an
  earlier choice question got one of those answers;
- `weight` (0 leaves the question out of the score) and `required` (default true).

`read_document` checks a parsed document and returns it in canonical form (every key
explicit, the scale folded into each question's choices), or raises `SetFileError` listing
every problem with the entry it is in and how to fix it. `build` turns a canonical document
into the `QuestionSet` the partner's page, the scoring and the actions use.
"""

from __future__ import annotations

import re
from typing import Any

import tomli_w
import yaml
from django.utils.translation import gettext_lazy as _

from core.datafiles import DataFileError, parse_toml
from core.refusals import Invalid
from questionnaires.question_sets import (
    LANGUAGES,
    LEVEL_WEIGHTS,
    Option,
    Question,
    QuestionSet,
    _catalogue_levels,
    bank,
)

KINDS = ("single", "multiple", "yes_no", "date", "number", "text", "file")
CHOICE_TYPES = ("single", "multiple", "yes_no")
FORMATS = ("toml", "yaml")
MAX_QUESTIONS = 200
MAX_TEXT = 1000
MAX_WEIGHT = 100
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
_CRITERION = re.compile(r"^\d{1,2}\.\d{1,2}$")
QUESTION_FIELDS = {
    "id",
    "type",
    "criterion",
    "level",
    "weight",
    "required",
    "allow_na",
    "roles",
    "en",
    "es",
    "show_if",
    "choice",
}
CHOICE_FIELDS = {"key", "score", "weak", "counts", "en", "es"}
YES_NO = (
    Option("yes", 1.0, False, True, {"en": "Yes", "es": "Sí"}),
    Option("no", 0.0, True, True, {"en": "No", "es": "No"}),
)


class SetFileError(Invalid):
    """A member's question set that cannot be used; `problems` names each entry and fix."""

    code = "question_set_invalid"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            str(_("The question set has problems: %(list)s")) % {"list": " · ".join(problems)}
        )


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _partner_roles() -> list[str]:
    from partners.models import PartnerRole

    return list(PartnerRole.values)


def _texts(entry: dict[str, Any], where: str, problems: _Problems) -> dict[str, str]:
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        value = entry.get(lang)
        if not isinstance(value, str) or not value.strip():
            problems.add(where, f'"{lang}" text missing; give the wording in English and Spanish.')
        elif len(value) > MAX_TEXT:
            problems.add(where, f'"{lang}" text is longer than {MAX_TEXT} characters; shorten it.')
        else:
            texts[lang] = value.strip()
    return texts


def _scale(doc: dict[str, Any], problems: _Problems) -> list[dict[str, Any]]:
    """The file's shared `[[option]]` scale, if any, as choice entries."""
    entries = doc.get("option", [])
    if not isinstance(entries, list):
        problems.add("option", "must be a list of [[option]] entries.")
        return []
    return [e for e in entries if isinstance(e, dict)]


def _choices(
    raw: Any, where: str, problems: _Problems, allow_na: bool = True
) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        problems.add(where, "needs at least two [[question.choice]] entries (key, score, en, es).")
        return []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw, start=1):
        at = f"{where}, choice {n}"
        if not isinstance(entry, dict):
            problems.add(at, "must be a table with key, score, en and es.")
            continue
        unknown = set(entry) - CHOICE_FIELDS
        if unknown:
            problems.add(
                at,
                f"unknown field {', '.join(sorted(unknown))}; "
                f"a choice has {', '.join(sorted(CHOICE_FIELDS))}.",
            )
        key = entry.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            problems.add(
                at, "key must be 1–20 lower-case letters, digits, - or _ (for example partly)."
            )
            key = f"?{n}"
        elif key in seen:
            problems.add(at, f'key "{key}" used twice; give each choice its own key.')
        seen.add(key)
        score = entry.get("score", 0)
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            problems.add(at, "score must be a number from 0 to 1 (the share of the weight earned).")
            score = 0
        counts = entry.get("counts", True)
        if not counts and not allow_na:
            continue
        out.append(
            {
                "key": key,
                "score": float(score),
                "weak": bool(entry.get("weak", score < 1 and counts)),
                "counts": bool(counts),
                **_texts(entry, at, problems),
            }
        )
    if len(out) < 2:
        problems.add(where, "needs at least two choices.")
    return out


def read_document(doc: Any, *, source: str = "file") -> dict[str, Any]:
    """Check a parsed member's set and return it in canonical form; raise SetFileError
    naming every problem."""
    problems = _Problems()
    if not isinstance(doc, dict):
        raise SetFileError([f"{source}: the file must hold [template.<key>] and [[question]]."])
    roles = _partner_roles()
    catalogue = _catalogue_levels()
    templates = doc.get("template")
    key = ""
    template: dict[str, Any] = {}
    if not isinstance(templates, dict) or len(templates) != 1:
        problems.add(
            source,
            "needs exactly one [template.<key>] table (the set's key, title and roles); "
            f"found {len(templates) if isinstance(templates, dict) else 0}.",
        )
    else:
        key, template = next(iter(templates.items()))
        if not _ID.match(str(key)):
            problems.add(
                f"template {key}",
                "the key must be 1–40 lower-case letters, digits or - (for example my-carriers).",
            )
        if not isinstance(template, dict):
            problems.add(f"template {key}", "must be a table with en, es, roles and questions.")
            template = {}
    where_t = f"template {key or '?'}"
    titles = _texts(template, where_t, problems)
    set_roles = template.get("roles", [])
    if not isinstance(set_roles, list) or not all(r in roles for r in set_roles):
        problems.add(where_t, f"roles must be a list of partner roles ({', '.join(roles)}).")
        set_roles = []
    scale = _scale(doc, problems)
    entries = doc.get("question", [])
    if not isinstance(entries, list):
        problems.add(source, "[[question]] entries must be a list.")
        entries = []
    if len(entries) > MAX_QUESTIONS:
        problems.add(source, f"{len(entries)} questions; a set holds at most {MAX_QUESTIONS}.")
        entries = entries[:MAX_QUESTIONS]
    questions: list[dict[str, Any]] = []
    kinds: dict[str, tuple[str, set[str]]] = {}
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.add(f"question {i}", "must be a [[question]] table.")
            continue
        qid = entry.get("id")
        where = f'question {i} ("{qid}")' if qid else f"question {i}"
        unknown = set(entry) - QUESTION_FIELDS
        if unknown:
            problems.add(
                where,
                f"unknown field {', '.join(sorted(unknown))}; "
                f"a question has {', '.join(sorted(QUESTION_FIELDS))}.",
            )
        if not isinstance(qid, str) or not _ID.match(qid):
            problems.add(where, "id must be 1–40 lower-case letters, digits or - (e.g. gate-log).")
            qid = f"?{i}"
        elif qid in kinds:
            problems.add(where, f'id "{qid}" used twice; give each question its own id.')
        kind = entry.get("type")
        if kind is None:
            kind = "single"
            if "choice" not in entry:
                if not scale:
                    problems.add(
                        where, f"type missing; one of {', '.join(KINDS)} (or add an answer scale)."
                    )
                entry = {**entry, "choice": scale}
        if kind not in KINDS:
            problems.add(where, f'type "{kind}" unknown; use one of {", ".join(KINDS)}.')
            kind = "text"
        criterion = entry.get("criterion", "")
        level = entry.get("level", "")
        if criterion:
            if not isinstance(criterion, str) or not _CRITERION.match(criterion):
                problems.add(where, f'criterion "{criterion}" is not an MSC ID such as 3.1.')
                criterion = ""
            elif catalogue is not None and criterion not in catalogue:
                problems.add(
                    where, f"criterion {criterion} is not in the MSC catalogue; check the number."
                )
            elif not level and catalogue is not None:
                level = catalogue[criterion]
        if level and level not in LEVEL_WEIGHTS:
            problems.add(where, 'level must be "must" or "should" (or left out).')
            level = ""
        weight = entry.get("weight", LEVEL_WEIGHTS.get(level, 1))
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= MAX_WEIGHT:
            problems.add(where, f"weight must be a whole number from 0 to {MAX_WEIGHT}.")
            weight = 1
        required = entry.get("required", True)
        if not isinstance(required, bool):
            problems.add(where, "required must be true or false.")
            required = True
        question_roles = entry.get("roles", [])
        if not isinstance(question_roles, list) or not all(
            r in (set_roles or roles) for r in question_roles
        ):
            problems.add(
                where,
                "roles must be a list of partner roles of the set "
                f"({', '.join(set_roles or roles)}).",
            )
            question_roles = []
        item: dict[str, Any] = {
            "id": qid,
            "type": kind,
            "criterion": criterion,
            "level": level,
            "weight": weight,
            "required": required,
            **_texts(entry, where, problems),
        }
        if question_roles:
            item["roles"] = list(question_roles)
        keys: set[str] = set()
        if kind in ("single", "multiple"):
            item["choice"] = _choices(
                entry.get("choice"), where, problems, bool(entry.get("allow_na", True))
            )
            keys = {c["key"] for c in item["choice"]}
        elif "choice" in entry:
            problems.add(
                where,
                f"a {kind} question has no choices; remove the choice entries or use type single.",
            )
        if kind == "yes_no":
            keys = {"yes", "no"}
        condition = entry.get("show_if")
        if condition is not None:
            parent = condition.get("question") if isinstance(condition, dict) else None
            wanted = condition.get("answers") if isinstance(condition, dict) else None
            if parent not in kinds:
                problems.add(
                    where,
                    "show_if.question must be the id of an earlier question "
                    '(e.g. show_if = { question = "gate-log", answers = ["no"] }).',
                )
            elif kinds[parent][0] not in CHOICE_TYPES:
                problems.add(
                    where, f'show_if.question "{parent}" has no choices; follow a choice question.'
                )
            elif (
                not isinstance(wanted, list)
                or not wanted
                or not all(w in kinds[parent][1] for w in wanted)
            ):
                problems.add(
                    where,
                    "show_if.answers must list answers of "
                    f'"{parent}" ({", ".join(sorted(kinds[parent][1]))}).',
                )
            else:
                item["show_if"] = {"question": parent, "answers": list(wanted)}
        kinds[qid] = (kind, keys)
        questions.append(item)
    order = template.get("questions")
    if order is not None:
        if not isinstance(order, list) or sorted(map(str, order)) != sorted(kinds):
            problems.add(
                where_t,
                "questions must list every [[question]] id once, in the order asked "
                "(or be left out to keep the file's order).",
            )
        else:
            position = {qid: n for n, qid in enumerate(order)}
            questions.sort(key=lambda q: position[q["id"]])
            for n, q in enumerate(questions):
                parent = q.get("show_if", {}).get("question")
                if parent and position[parent] >= n:
                    problems.add(
                        where_t,
                        f'"{q["id"]}" is listed before "{parent}", the question it follows.',
                    )
    if problems.items:
        raise SetFileError(problems.items)
    return {
        "template": {
            key: {
                "roles": list(set_roles),
                **titles,
                "questions": [q["id"] for q in questions],
            }
        },
        "question": questions,
    }


def build(doc: dict[str, Any], *, version: str) -> QuestionSet:
    """The QuestionSet of a canonical document (as `read_document` returns it)."""
    key, template = next(iter(doc["template"].items()))
    questions = []
    for entry in doc["question"]:
        kind = entry["type"]
        choices: tuple[Option, ...] = ()
        if kind == "yes_no":
            choices = YES_NO
        elif kind in ("single", "multiple"):
            choices = tuple(
                Option(
                    key=c["key"],
                    score=float(c["score"]),
                    weak=bool(c["weak"]),
                    counts=bool(c["counts"]),
                    texts={lang: c[lang] for lang in LANGUAGES},
                )
                for c in entry.get("choice", [])
            )
        condition = entry.get("show_if")
        questions.append(
            Question(
                id=entry["id"],
                criterion=entry.get("criterion", ""),
                level=entry.get("level", ""),
                weight=int(entry["weight"]),
                allow_na=any(not c.counts for c in choices),
                texts={lang: entry[lang] for lang in LANGUAGES},
                roles=tuple(entry.get("roles", ())),
                kind=kind,
                choices=choices,
                show_if=(condition["question"], tuple(condition["answers"])) if condition else None,
                required=bool(entry.get("required", True)),
            )
        )
    return QuestionSet(
        key=str(key),
        version=version,
        roles=tuple(template.get("roles", ())),
        titles={lang: template[lang] for lang in LANGUAGES},
        questions=tuple(questions),
    )


def parse_text(text: str, fmt: str, *, source: str = "file") -> dict[str, Any]:
    """Read an uploaded set (TOML or YAML) and check it."""
    if fmt not in FORMATS:
        raise SetFileError([f"{source}: unknown format {fmt!r}; upload a .toml or .yaml file."])
    try:
        # TOML through the one data-file reader, so the message names the line the same
        # way as for the shipped sets.
        doc = parse_toml(text, source=source) if fmt == "toml" else yaml.safe_load(text)
    except DataFileError as exc:
        raise SetFileError([str(exc)]) from exc
    except yaml.YAMLError as exc:
        raise SetFileError([f"{source}: not valid YAML: {exc}".replace("\n", " ")]) from exc
    return read_document(doc, source=source)


def dump(doc: dict[str, Any], fmt: str) -> str:
    """The set as a file a member can edit and import again."""
    header = (
        "# A member's partner question set (OpenCTPAT). Same shape as the shipped\n"
        "# questionnaires/data files: [[question]] entries and one [template.<key>].\n"
    )
    if fmt == "yaml":
        return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    return header + tomli_w.dumps(doc)


def from_shipped(template_key: str, new_key: str) -> dict[str, Any]:
    """A shipped set as a member's document: every question with the shipped answer scale
    written out as its choices, so the copy stands on its own."""
    shipped = bank().sets[template_key]
    questions = []
    for q in shipped.questions:
        entry: dict[str, Any] = {
            "id": q.id,
            "type": "single",
            "criterion": q.criterion,
            "level": q.level,
            "weight": q.weight,
            "required": True,
            **q.texts,
            "choice": [
                {"key": o.key, "score": o.score, "weak": o.weak, "counts": o.counts, **o.texts}
                for o in shipped.options(q)
            ],
        }
        if q.roles:
            entry["roles"] = list(q.roles)
        questions.append(entry)
    return read_document(
        {
            "template": {new_key: {"roles": list(shipped.roles), **shipped.titles}},
            "question": questions,
        },
        source=template_key,
    )
