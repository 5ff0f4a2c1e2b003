"""Figures that an app higher in the layers adds to a page of a lower one.

A page names itself (`"partners.dashboard"`) and asks `figures(page, **kwargs)`; every
provider registered for that page from an `AppConfig.ready()` gets the same keyword
arguments and returns a dict that joins the page's context. The lower app so shows what
a higher one knows without importing it (`docs/architecture.md`, Layers): the partners
dashboard gets the vetting path and status expiries from `recognition` and the
questionnaire counts from `questionnaires` this way.

Guaranteed: providers run in the order of their `order` (then name); a provider
registered twice under one name replaces the first (a reloaded app config does not
double a figure); a page with no provider gets `{}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Panel:
    name: str
    provider: Provider
    order: int


_panels: dict[str, dict[str, Panel]] = {}


def register(page: str, name: str, provider: Provider, *, order: int = 50) -> None:
    """Add `provider`'s figures to `page`; call it from the providing app's `ready()`."""
    _panels.setdefault(page, {})[name] = Panel(name, provider, order)


def figures(page: str, **kwargs: Any) -> dict[str, Any]:
    """Every registered provider's figures for `page`, merged into one dict."""
    merged: dict[str, Any] = {}
    for panel in sorted(_panels.get(page, {}).values(), key=lambda p: (p.order, p.name)):
        merged.update(panel.provider(**kwargs))
    return merged
