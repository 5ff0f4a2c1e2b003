"""Read-only records shown as documents: Markdown rendered to safe HTML, and audit-trail
changes written with labels and "—" instead of codes and "None"."""

from __future__ import annotations

import ast
import datetime
import functools
import html
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats
from django.utils.encoding import smart_str
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
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
    for field, change in changes_display(entry).items():
        label = str(field)
        if label in HIDDEN_FIELDS:
            continue
        before, after = (readable_value(v) for v in (list(change) + ["", ""])[:2])
        if before == after:
            continue
        rows.append((label[:1].upper() + label[1:], before, after))
    return rows


def changes_html(entry: Any) -> SafeString:
    """An audit-trail cell: one line per change, "<strong>Field</strong>: before → after"
    (a creation shows the value set only), written in one pass: as a template loop, the
    thousand changes of a page of 50 entries cost as much as reading them."""
    created = entry.action == 0  # django-auditlog's LogEntry.Action.CREATE

    def escape(text: str) -> str:  # what Django's escape does, without its lazy wrapper
        return html.escape(str(text))

    lines = []
    for field, before, after in readable_changes(entry):
        value = escape(after) if created else f"{escape(before)} → {escape(after)}"
        lines.append(f"<div><strong>{escape(field)}</strong>: {value}</div>")
    return mark_safe("".join(lines))  # noqa: S308 - every value above is escaped


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
        # `is_relation` first: reading a country field's `choices` builds its 250
        # translated, sorted names each time.
        if not field.is_relation or getattr(field, "choices", None):
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


# --- An entry's changes as django-auditlog shows them, cheaper --------------------------


@functools.lru_cache(maxsize=1024)
def _choices_of(field: Any, language: str | None) -> dict[Any, Any] | None:
    """A field's choices as django-auditlog reads them for display, built once per field
    and language (a country field builds its 250 translated, sorted names on every read)."""
    del language  # part of the cache key only: the labels are in the reader's language
    found = None
    if getattr(field, "choices", []):
        found = dict(field.choices)
    base = getattr(field, "base_field", None)
    if base is not None and getattr(base, "choices", []):
        found = dict(base.choices)
    return found or None


def _choice_label(choices: dict[Any, Any], value: Any) -> Any:
    try:
        parsed = ast.literal_eval(value)
    except Exception:  # noqa: BLE001  # as django-auditlog: any text that is not a literal
        return choices.get(value, "None")
    if type(parsed) is list:
        return ", ".join([str(choices.get(v, "None")) for v in parsed])
    try:
        return choices.get(parsed, "None")
    except TypeError:  # an unhashable literal: django-auditlog falls back to the text
        return choices.get(value, "None")


def _parse_moment(value: str) -> datetime.datetime:
    """An ISO date or time as stored by django-auditlog (`str()` of the value), without
    dateutil's general parser (1 ms a value); anything else through dateutil as before."""
    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        from dateutil import parser  # type: ignore[import-untyped]

        parsed: datetime.datetime = parser.parse(value)
        return parsed


def _moment_display(value: Any, field_type: str) -> Any:
    from dateutil.tz import gettz  # type: ignore[import-untyped]

    try:
        moment: Any = _parse_moment(value)
    except (TypeError, ValueError, OverflowError):
        return value
    if field_type == "DateField":
        moment = moment.date()
    elif field_type == "TimeField":
        moment = moment.time()
    else:
        moment = moment.replace(tzinfo=datetime.UTC).astimezone(gettz(settings.TIME_ZONE))
    return formats.localize(moment)


def changes_display(entry: Any) -> dict[Any, list[Any]]:
    """What django-auditlog's `LogEntry.changes_display_dict` answers (the same labels and
    values), with each field's choices read once per language instead of once per entry
    and stored dates parsed as ISO text: an audit page of 50 entries spent 0.3 s there."""
    from auditlog.registry import auditlog

    model = entry.content_type.model_class()
    if model is None:
        return dict(entry.changes_display_dict)
    model_fields = auditlog.get_model_fields(model) if auditlog.contains(model) else None
    mapping = model_fields["mapping_fields"] if model_fields else {}
    changes = entry.changes_dict
    # django-auditlog's settings, with the defaults it sets when it loads.
    if getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False):
        changes = {name: [str(v) for v in values] for name, values in changes.items()}
    truncate_at = getattr(settings, "AUDITLOG_CHANGE_DISPLAY_TRUNCATE_LENGTH", 140)
    language = get_language()
    shown: dict[Any, list[Any]] = {}
    for name, values in changes.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            shown[name] = values
            continue
        if field.auto_created and not field.concrete:
            # A reverse relation (a company's questionnaires, seals, …): django-auditlog
            # records one per related model when a record is created, each as
            # "app.Model.None", which says nothing to a reader.
            continue
        choices = _choices_of(field, language)
        if choices:
            display = [_choice_label(choices, value) for value in values]
        else:
            try:
                field_type = field.get_internal_type()
            except AttributeError:
                continue  # a reverse relation: django-auditlog leaves it out
            display = []
            for value in values:
                if field_type in ("DateTimeField", "DateField", "TimeField"):
                    value = _moment_display(value, field_type)
                elif field_type in _RELATION_TYPES:
                    value = entry._get_changes_display_for_fk_field(field, value)
                if 0 <= truncate_at < len(value):
                    value = value[:truncate_at] + ("..." if truncate_at > 0 else "")
                display.append(value)
        label = (
            mapping[field.name] if field.name in mapping else getattr(field, "verbose_name", name)
        )
        shown[label] = display
    return shown
