"""What screening returns: queries, hits and their explanations, the alert threshold.

Plain dataclasses without numpy, so that code which only reads results (the Django
apps at start-up) does not import the scoring machinery of :mod:`.matcher`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .entities import Entity, EntityType

#: Default alert threshold (0-100), calibrated on ``bench/screening.py``: at this score
#: about 1 % of the benchmark's hard and easy negatives alert (see docs/screening.md).
DEFAULT_THRESHOLD = 88.0


@dataclass(frozen=True, slots=True)
class Query:
    """One name to screen, with optional qualifiers."""

    name: str
    country: str | None = None
    type: EntityType | None = None
    id: str = ""


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """How one query token was matched in the listed name."""

    query_token: str
    listed_token: str | None
    similarity: float
    credit: float
    weight: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a hit scored what it scored."""

    query_tokens: tuple[TokenMatch, ...]
    unmatched_listed_tokens: tuple[str, ...]
    query_coverage: float
    listed_coverage: float
    token_score: float
    string_score: float
    name_score: float
    adjustments: tuple[tuple[str, float], ...]
    list_id: str
    sub_list: str
    programs: tuple[str, ...]
    addresses: tuple[str, ...]
    countries: tuple[str, ...]
    entity_type: str

    def summary(self) -> str:
        matched = ", ".join(
            f"{m.query_token}≈{m.listed_token} (credit {m.credit:.2f})"
            if m.listed_token and m.query_token != m.listed_token
            else f"{m.query_token}"
            for m in self.query_tokens
            if m.credit > 0
        )
        missing = [m.query_token for m in self.query_tokens if m.credit <= 0]
        parts = [f"matched tokens: {matched or 'none'}"]
        if missing:
            parts.append(f"query tokens not found: {', '.join(missing)}")
        if self.unmatched_listed_tokens:
            parts.append(f"listed tokens not in query: {', '.join(self.unmatched_listed_tokens)}")
        basis = (
            "whole-name similarity" if self.string_score > self.token_score else "token coverage"
        )
        parts.append(
            f"query coverage {self.query_coverage:.2f}, listed coverage "
            f"{self.listed_coverage:.2f}, name score {100 * self.name_score:.1f} ({basis})"
        )
        for label, delta in self.adjustments:
            parts.append(f"{label} {delta:+.1f}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "summary": self.summary(),
            "tokens": [
                {
                    "query_token": m.query_token,
                    "listed_token": m.listed_token,
                    "similarity": round(m.similarity, 3),
                    "weight": round(m.weight, 3),
                }
                for m in self.query_tokens
            ],
            "unmatched_listed_tokens": list(self.unmatched_listed_tokens),
            "query_coverage": round(self.query_coverage, 3),
            "listed_coverage": round(self.listed_coverage, 3),
            "name_score": round(100 * self.name_score, 1),
            "adjustments": [{"reason": r, "points": d} for r, d in self.adjustments],
            "list": self.list_id,
            "sub_list": self.sub_list,
            "programs": list(self.programs),
            "addresses": list(self.addresses),
            "countries": list(self.countries),
            "entity_type": self.entity_type,
        }


@dataclass(frozen=True, slots=True)
class Hit:
    """One listed entity returned for a query, best first."""

    entity: Entity
    score: float
    matched_name: str
    explanation: Explanation | None = None
