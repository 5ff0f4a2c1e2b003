"""`{% list_part listing "filters" %}` and friends: the pieces every list page shares
(filter form, sortable header row, empty state, pager), drawn from one template."""

from __future__ import annotations

from typing import Any

from django import template

from core.lists import Listing

register = template.Library()


@register.inclusion_tag("core/list_parts.html")
def list_part(listing: Listing, part: str, colspan: int = 1) -> dict[str, Any]:
    """`part` is "filters" (the GET form with Filter / Clear / Export CSV), "head" (the
    `<thead>` with sort links and aria-sort), "empty" (a table row saying why there is
    nothing, when the page is empty) or "pager"."""
    return {"listing": listing, "part": part, "colspan": colspan}
