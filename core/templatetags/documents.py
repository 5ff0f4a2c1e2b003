"""{% load documents %}: `text|markdown` renders Markdown to safe HTML;
`entry|readable_changes` lists an audit-log entry's changes with labels and "—";
`entry|changes_html` writes them as the audit trail's cell."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from core import documents

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return documents.markdown_html(text)


@register.filter
def readable_changes(entry: Any) -> list[tuple[str, str, str]]:
    return documents.readable_changes(entry)


@register.filter
def changes_html(entry: Any) -> SafeString:
    return documents.changes_html(entry)
