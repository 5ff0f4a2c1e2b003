"""The program's catalogue as data (`data/program.toml`): the internal-control
questionnaire, the forced-labor requirements and the benefits, each in English and Spanish
with its source. Read once; a mistake stops start-up with a message naming the entry."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from core.datafiles import DataFileError, read_toml

PROGRAM_FILE = Path(__file__).resolve().parent / "data" / "program.toml"


def _lang() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


@dataclass(frozen=True)
class Question:
    key: str
    en: str
    es: str
    source: str

    @property
    def text(self) -> str:
        return self.es if _lang() == "es" else self.en


@dataclass(frozen=True)
class Requirement:
    key: str
    title_en: str
    title_es: str
    en: str
    es: str
    source: str

    @property
    def title(self) -> str:
        return self.title_es if _lang() == "es" else self.title_en

    @property
    def text(self) -> str:
        return self.es if _lang() == "es" else self.en


@dataclass(frozen=True)
class Benefit:
    key: str
    title_en: str
    title_es: str
    source: str
    forced_labor: bool = False

    @property
    def title(self) -> str:
        return self.title_es if _lang() == "es" else self.title_en


@dataclass(frozen=True)
class Program:
    questions: tuple[Question, ...]
    requirements: tuple[Requirement, ...]
    benefits: tuple[Benefit, ...]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def requirement(self, key: str) -> Requirement | None:
        return next((r for r in self.requirements if r.key == key), None)

    def benefit(self, key: str) -> Benefit | None:
        return next((b for b in self.benefits if b.key == key), None)


def _entries(data: dict[str, Any], table: str, kind: type[Any], path: Path) -> tuple[Any, ...]:
    fields = [f for f in kind.__dataclass_fields__ if f != "forced_labor"]
    seen: set[str] = set()
    built = []
    for number, row in enumerate(data.get(table, []), start=1):
        label = f"{path.name}, {table} entry {number} ({row.get('key', 'no key')})"
        missing = [f for f in fields if not str(row.get(f, "")).strip()]
        if missing:
            raise DataFileError(f"{label}: missing {', '.join(missing)}")
        unknown = set(row) - set(kind.__dataclass_fields__)
        if unknown:
            raise DataFileError(f"{label}: unknown field(s) {', '.join(sorted(unknown))}")
        if row["key"] in seen:
            raise DataFileError(f"{label}: the key is used twice")
        seen.add(row["key"])
        built.append(kind(**row))
    if not built:
        raise DataFileError(f"{path.name}: no [[{table}]] entries")
    return tuple(built)


def parse(path: Path) -> Program:
    data = read_toml(path)
    return Program(
        questions=_entries(data, "questions", Question, path),
        requirements=_entries(data, "requirements", Requirement, path),
        benefits=_entries(data, "benefits", Benefit, path),
    )


@cache
def program() -> Program:
    return parse(PROGRAM_FILE)
