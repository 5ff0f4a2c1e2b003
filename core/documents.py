"""Read-only records shown as documents: Markdown rendered to safe HTML, and audit-trail
changes written with labels and "—" instead of codes and "None"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.encoding import smart_str
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


_RELATION_TYPES = ("ForeignKey", "OneToOneField")


def _relations(entry: Any) -> Iterable[tuple[type[models.Model], Any]]:
    """(related model, primary key) of every record a change of `entry` points to."""
    model = entry.content_type.model_class()
    if model is None:
        return
    for name, values in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "choices", None) or not field.is_relation:
            continue
        if field.get_internal_type() not in _RELATION_TYPES:
            continue
        related = field.related_model
        for value in values:
            if value in (None, "None"):
                continue
            try:
                yield related, related._meta.pk.to_python(value)
            except ValidationError:
                continue


def resolve_related_records(entries: Iterable[Any]) -> None:
    """Name every record the changes of `entries` (audit-log entries) point to with one
    query per kind of record, instead of django-auditlog's one query per value as each
    entry is shown (an audit page issued 44–82 queries, varying with what changed).
    Each entry then answers `changes_display_dict` from what was read here; a record
    deleted since reads as django-auditlog writes it ("Deleted 'Model' (id)")."""
    entries = list(entries)
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        for related, pk in _relations(entry):
            wanted[related].add(pk)
    # The manager django-auditlog itself would ask (AUDITLOG_USE_BASE_MANAGER).
    base = getattr(settings, "AUDITLOG_USE_BASE_MANAGER", False)
    names: dict[type[models.Model], dict[Any, str]] = {}
    for related, pks in wanted.items():
        manager = related._base_manager if base else related._default_manager
        names[related] = {pk: smart_str(obj) for pk, obj in manager.in_bulk(pks).items()}

    def display(field: Any, value: Any) -> str:
        if value == "None":
            return str(value)
        related = field.related_model
        try:
            pk = related._meta.pk.to_python(value)
        except ValidationError:
            return str(value)
        found = names.get(related, {}).get(pk)
        return found if found is not None else f"Deleted '{related.__name__}' ({value})"

    for entry in entries:
        # django-auditlog names a related record through this method, one query each.
        entry._get_changes_display_for_fk_field = display
