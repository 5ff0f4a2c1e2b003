"""Inspection checklists: the built-in lists read from `data/checklists.toml` and a
company's own lists (`ChecklistTemplate`), seen through one shape so the form, the record
and the PDF never care where a list came from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from core.datafiles import read_toml

DATA = Path(__file__).parent / "data" / "checklists.toml"


@dataclass(frozen=True)
class Point:
    """One inspection point, with its names and hints in English and Spanish."""

    key: str
    en: str
    es: str
    hint_en: str = ""
    hint_es: str = ""

    @property
    def label(self) -> str:
        return self.es if _spanish() else self.en

    @property
    def hint(self) -> str:
        return self.hint_es if _spanish() else self.hint_en


@dataclass(frozen=True)
class Checklist:
    key: str
    name_en: str
    name_es: str
    points: tuple[Point, ...]
    applies_en: str = ""
    applies_es: str = ""

    @property
    def name(self) -> str:
        return self.name_es if _spanish() else self.name_en

    @property
    def applies(self) -> str:
        return self.applies_es if _spanish() else self.applies_en


def _spanish() -> bool:
    return (get_language() or "en").startswith("es")


def _point(raw: dict[str, Any]) -> Point:
    return Point(
        key=str(raw["key"]),
        en=str(raw["en"]),
        es=str(raw.get("es") or raw["en"]),
        hint_en=str(raw.get("hint_en", "")),
        hint_es=str(raw.get("hint_es", raw.get("hint_en", ""))),
    )


def parse(data: dict[str, Any]) -> dict[str, Checklist]:
    """Build the checklists from parsed TOML; `extends` prepends another list's points."""
    lists: dict[str, Checklist] = {}
    for key, raw in data.items():
        points = [_point(p) for p in raw.get("points", [])]
        base = raw.get("extends")
        if base:
            points = [_point(p) for p in data[base].get("points", [])] + points
        keys = [p.key for p in points]
        if len(keys) != len(set(keys)):
            raise ValueError(f"checklist {key!r} repeats a point key")
        lists[key] = Checklist(
            key=key,
            name_en=raw["name_en"],
            name_es=raw["name_es"],
            points=tuple(points),
            applies_en=raw.get("applies_en", ""),
            applies_es=raw.get("applies_es", ""),
        )
    return lists


@cache
def builtin() -> dict[str, Checklist]:
    return parse(read_toml(DATA))


def builtin_choices() -> list[tuple[str, str]]:
    return [(key, c.name) for key, c in builtin().items()]
