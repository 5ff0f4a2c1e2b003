"""`{% load training_matrix %}{% matrix_cells row.cells %}`: one row of the training
matrix's cells, written in Python. The same markup from the template's own loop (nested
tags and a translation per cell) took about 70 ms for a page of 50 people and a dozen
courses; this takes a few."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from training.matrix import Cell

register = template.Library()


@register.simple_tag
def matrix_cells(cells: Iterable[Cell | None]) -> SafeString:
    """A `<td>` per course: the person's state on it (its label, the due date, and in the
    title the last completion and any retraining request), or `·` where the person's
    roles do not require the course."""
    last_completed, retraining = gettext("Last completed"), gettext("Retraining")
    not_required = format_html(
        '<td class="cell"><span class="muted" aria-label="{}">·</span></td>',
        gettext("not required"),
    )
    parts: list[str] = []
    for cell in cells:
        if not cell:
            parts.append(not_required)
            continue
        title = f"{last_completed} {localize(cell.completed_on)}" if cell.completed_on else ""
        if cell.retraining:
            title += f" — {retraining}: {cell.retraining}"
        due = format_html("<br>{}", cell.due_on.isoformat()) if cell.due_on else ""
        parts.append(
            format_html(
                '<td class="cell"><span class="state {}" data-state="{}" title="{}">{}{}</span>'
                "</td>",
                cell.state,
                cell.state,
                title,
                cell.state.label,
                due,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308  # every part built by format_html
