"""Records kept elsewhere in the portal that back a criterion ("Records in the portal" on
the criterion's page, beside the uploaded evidence): training and personnel figures,
field-operation figures, the last completed risk assessment.

The apps that keep such records register an evidence provider from their
`AppConfig.ready()`, so profiles imports none of them:

    from profiles import linked
    linked.register("training", _("Training and personnel"), evidence.evidence_for, order=10)

A provider takes `(company, criterion_id)` and returns the figures it keeps for that
criterion (objects with `label`, `value` and `url`), or nothing for criteria it does not
know. The page lists providers by `order`, then each provider's figures in its order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from companies.models import Company


class Figure(Protocol):
    """What a provider returns for one figure."""

    @property
    def label(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def url(self) -> str: ...


Provider = Callable[["Company", str], Iterable[Figure]]


@dataclass(frozen=True)
class LinkedRecord:
    """One figure from another part of the portal: what it is, its value, where to see it."""

    source: str
    label: str
    value: str
    url: str


@dataclass(frozen=True)
class _Registration:
    order: int
    source: StrOrPromise
    provider: Provider


_providers: dict[str, _Registration] = {}


def register(key: str, source: StrOrPromise, provider: Provider, *, order: int) -> None:
    """Add (or, under the same `key`, replace) a provider; `source` names it on the page."""
    _providers[key] = _Registration(order, source, provider)


def linked_records(company: Company, criterion_id: str) -> list[LinkedRecord]:
    records: list[LinkedRecord] = []
    for registration in sorted(_providers.values(), key=lambda r: r.order):
        source = str(registration.source)
        records += [
            LinkedRecord(source, item.label, item.value, item.url)
            for item in registration.provider(company, criterion_id)
        ]
    return records
