"""`{% level_badge level %}`: a threat level as a coloured badge, or "not rated".

A tag rather than an included template, and each language's badges made once: the
ratings grid shows hundreds of cells and an include per cell costs more than the rest of
the page."""

from __future__ import annotations

import functools

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from threats.models import Level

register = template.Library()

_CSS = {Level.HIGH.value: "bad", Level.MEDIUM.value: "warn", Level.LOW.value: "ok"}


@register.simple_tag
def level_badge(level: str | None) -> SafeString:
    badges = _badges(translation.get_language() or "en")
    return badges.get(level or "", badges[""])


@functools.cache
def _badges(language: str) -> dict[str, SafeString]:
    with translation.override(language):
        badges = {
            value: format_html(
                '<span class="badge {}" data-level="{}">{}</span>', _CSS[value], value, label
            )
            for value, label in Level.choices
        }
        badges[""] = format_html('<span class="muted" data-level="">{}</span>', _("not rated"))
    return badges
