"""Read-only records shown as documents: Markdown rendered to safe HTML, and audit-trail
changes written with labels and "—" instead of codes and "None"."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

# CommonMark with raw HTML off: a "<script>" in the text is shown as text, and
# markdown-it refuses javascript:/data: links by itself. Tables for agreements with a grid.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

EMPTY = "—"
# Stored by django-auditlog as text; what a reader should see instead.
_EMPTY_VALUES = {"", "None", "[]", "{}", "null"}


def markdown_html(text: str) -> SafeString:
    """Markdown rendered to HTML that is safe to insert (no raw HTML passes through)."""
    rendered: str = _MARKDOWN.render(text or "")
    return mark_safe(rendered)  # noqa: S308 - raw HTML is disabled above


def readable_value(value: Any) -> str:
    """One side of a recorded change as a person reads it."""
    text = "" if value is None else str(value).strip()
    if text in _EMPTY_VALUES:
        return EMPTY
    if text == "True":
        return _("Yes")
    if text == "False":
        return _("No")
    return text


# Bookkeeping fields nobody asked to see in a history.
HIDDEN_FIELDS = {"id", "ID", "version", "token hash", "token_hash", "created", "updated"}


def readable_changes(entry: Any) -> list[tuple[str, str, str]]:
    """(field label, before, after) of an audit-log entry, with labels and "—", skipping
    bookkeeping fields and sides that did not change once made readable. A creation has
    no "before" (it is "—" for every field, so only the values set are listed)."""
    rows = []
    for field, change in entry.changes_display_dict.items():
        label = str(field)
        if label in HIDDEN_FIELDS:
            continue
        before, after = (readable_value(v) for v in (list(change) + ["", ""])[:2])
        if before == after:
            continue
        rows.append((label[:1].upper() + label[1:], before, after))
    return rows
