"""Readiness: how far a security profile meets the criteria, per category and overall.

The formula (also shown on the readiness page):

- Each applicable criterion has a weight: **Must = 3, Should = 1** (a Must counts three
  times as much, because CBP requires it while a Should is a recommended practice).
- Each answer earns a share of its weight: **implemented = 1, partly implemented = ½,
  not implemented or not answered = 0**.
- Criteria marked **not applicable** (with a reason) are left out of both sums.
- Score = Σ(weight × share) / Σ(weight), as a whole percent rounded half up. The overall
  score is computed over all criteria at once (not as the mean of the category scores),
  so a category with many Musts weighs more than one with two Shoulds.
- A category (or profile) whose criteria are all not applicable has no score ("—").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

from profiles.choices import ResponseStatus

if TYPE_CHECKING:
    from catalogue.models import Criterion

WEIGHTS = {"must": 3, "should": 1}
SHARES = {
    ResponseStatus.IMPLEMENTED.value: Fraction(1),
    ResponseStatus.PARTLY.value: Fraction(1, 2),
    ResponseStatus.NOT_IMPLEMENTED.value: Fraction(0),
    ResponseStatus.UNANSWERED.value: Fraction(0),
}


class Scored(Protocol):
    """What the formula needs of one row (profiles.models.Row or a snapshot entry)."""

    @property
    def criterion(self) -> Criterion: ...

    @property
    def requirement(self) -> str: ...

    @property
    def status(self) -> str: ...


def percent(value: Fraction | None) -> int | None:
    """A fraction as a whole percent, rounded half up (never banker's rounding)."""
    if value is None:
        return None
    return int(value * 100 + Fraction(1, 2))


@dataclass
class CategoryScore:
    number: int
    name: str
    focus_area: str
    total: int = 0
    answered: int = 0
    musts_unmet: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    earned: Fraction = Fraction(0)
    possible: int = 0

    @property
    def score(self) -> int | None:
        return percent(self.earned / self.possible) if self.possible else None

    @property
    def progress(self) -> int:
        """Share of criteria answered (any status), in percent."""
        return percent(Fraction(self.answered, self.total)) or 0 if self.total else 0

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name}"


@dataclass
class Readiness:
    categories: list[CategoryScore]
    earned: Fraction
    possible: int
    total: int
    answered: int
    musts_unmet: int

    @property
    def overall(self) -> int | None:
        return percent(self.earned / self.possible) if self.possible else None

    @property
    def progress(self) -> int:
        return percent(Fraction(self.answered, self.total)) or 0 if self.total else 0

    def as_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall,
            "answered": self.answered,
            "total": self.total,
            "musts_unmet": self.musts_unmet,
            "categories": [
                {
                    "number": c.number,
                    "name": c.name,
                    "score": c.score,
                    "answered": c.answered,
                    "total": c.total,
                    "musts_unmet": c.musts_unmet,
                }
                for c in self.categories
            ],
        }


def compute_readiness(rows: Iterable[Scored]) -> Readiness:
    """Scores per category and overall; see the module docstring for the formula."""
    categories: dict[int, CategoryScore] = {}
    for row in rows:
        criterion = row.criterion
        category = categories.get(criterion.category_number)
        if category is None:
            category = categories[criterion.category_number] = CategoryScore(
                criterion.category_number, criterion.category_name, criterion.focus_area
            )
        status = row.status
        category.total += 1
        category.counts[status] = category.counts.get(status, 0) + 1
        if status:
            category.answered += 1
        if row.requirement == "must" and status not in (
            ResponseStatus.IMPLEMENTED,
            ResponseStatus.NOT_APPLICABLE,
        ):
            category.musts_unmet += 1
        if status == ResponseStatus.NOT_APPLICABLE:
            continue
        weight = WEIGHTS.get(row.requirement, 1)
        category.possible += weight
        category.earned += weight * SHARES.get(status, Fraction(0))
    ordered: Sequence[CategoryScore] = [categories[k] for k in sorted(categories)]
    return Readiness(
        categories=list(ordered),
        earned=sum((c.earned for c in ordered), Fraction(0)),
        possible=sum(c.possible for c in ordered),
        total=sum(c.total for c in ordered),
        answered=sum(c.answered for c in ordered),
        musts_unmet=sum(c.musts_unmet for c in ordered),
    )
