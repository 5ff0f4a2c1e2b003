"""A choice among many (partners, employees) picked by search-as-you-type.

A `<select>` that lists every partner of a company with 50,000 of them costs seconds to
build and megabytes to send. `search_select(field, url)` turns a `ModelChoiceField` into
a text box that asks `url?q=<typed>` for at most `LOOKUP_LIMIT` matches (rendered with
`core/search_matches.html`) and keeps the chosen object's primary key in a hidden input,
so the form still receives and validates the key against the field's queryset. Only the
chosen object is read to show its name again; the choices are never listed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# At most this many matches under a search box.
LOOKUP_LIMIT = 20
# A form field with more choices than this must not be a plain select.
MAX_SELECT_OPTIONS = 100


class SearchSelect(forms.Widget):
    template_name = "core/search_select.html"

    def __init__(self, url: str, queryset: QuerySet[Any], attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.url = url
        self.queryset = queryset

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = None
        if value not in (None, ""):
            try:
                chosen = self.queryset.filter(pk=value).first()
            except (TypeError, ValueError):
                chosen = None
        context["widget"].update({"url": self.url, "label": str(chosen) if chosen else ""})
        return context

    def format_value(self, value: Any) -> str:
        return "" if value is None else str(value)


def search_select(field: Any, url: str, queryset: QuerySet[Any]) -> None:
    """Let `field` (a ModelChoiceField) choose among `queryset` by searching `url`."""
    field.queryset = queryset
    field.widget = SearchSelect(url, queryset, attrs=field.widget.attrs)


class SearchSelectMultiple(SearchSelect):
    """Several objects picked one at a time from the same search box: each pick is shown
    as a removable chip holding its key in a hidden input of the field's name, so the
    form receives the keys as a multiple select would send them."""

    template_name = "core/search_select_multiple.html"
    allow_multiple_selected = True

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)
        keys = [v for v in (value or []) if str(v).isdigit()]
        # Only the picked objects are read (a re-shown form), never the choices.
        chosen = self.queryset.filter(pk__in=keys) if keys else []
        context["widget"].update({"url": self.url, "chosen": [(o.pk, str(o)) for o in chosen]})
        return context

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values if v not in (None, "")]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # nothing picked sends no key at all


def search_select_multiple(field: Any, url: str, queryset: QuerySet[Any]) -> None:
    """Let `field` (a ModelMultipleChoiceField) pick several of `queryset` by searching
    `url`; the lookup answers with `core/search_matches.html`."""
    field.queryset = queryset
    field.widget = SearchSelectMultiple(url, queryset, attrs=field.widget.attrs)


class _QuickRendering:
    """Options written in Python rather than through one template include each: Django's
    own widget renders ~250 countries in tens of milliseconds (two template includes an
    option), this in about one. The markup is the same."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            # Escaped parts in an f-string: format_html and flatatt an option cost ~30 µs
            # each, 8 ms for a country select on every list with one.
            for option in options:
                key, label = (
                    conditional_escape(option["value"]),
                    conditional_escape(option["label"]),
                )
                extra = flatatt(option["attrs"]) if option["attrs"] else ""
                parts.append(f'<option value="{key}"{extra}>{label}</option>')
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308  # every part escaped above


class QuickSelect(_QuickRendering, forms.Select):
    """A single-choice `<select>` with Python-written options (a country, a language)."""


class QuickSelectMultiple(_QuickRendering, forms.SelectMultiple):
    """A multiple-choice `<select>` with Python-written options (countries of origin)."""


def quick_selects(form: forms.BaseForm, above: int = 30) -> None:
    """Give every select of `form` with more than `above` options (a country, a language,
    countries of origin) the Python-written rendering of `QuickSelect` /
    `QuickSelectMultiple`."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(field, forms.ModelChoiceField) or not isinstance(field, forms.ChoiceField):
            continue  # a model's choices are a query: those pick by search_select
        choices: Any = field.choices
        plain = (  # drawn by Django's own select templates (a country field's LazySelect)
            isinstance(widget, forms.Select)
            and not isinstance(widget, _QuickRendering)
            and widget.template_name == forms.Select.template_name
            and widget.option_template_name == forms.Select.option_template_name
        )
        if plain and len(list(choices)) > above:
            kind = QuickSelectMultiple if widget.allow_multiple_selected else QuickSelect
            quick = kind(attrs=widget.attrs, choices=widget.choices)
            quick.is_required = widget.is_required
            field.widget = quick
