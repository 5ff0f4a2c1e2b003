"""`{% level_badge level %}`: a threat level as a coloured badge, or "not rated".

A tag rather than an included template: the ratings grid shows thousands of cells and an
include per cell costs more than the rest of the page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from threats.models import Level

register = template.Library()

_CSS = {Level.HIGH.value: "bad", Level.MEDIUM.value: "warn", Level.LOW.value: "ok"}


@register.simple_tag
def level_badge(level: str | None) -> SafeString:
    if level in _CSS:
        return format_html(
            '<span class="badge {}" data-level="{}">{}</span>',
            _CSS[str(level)],
            level,
            Level(level).label,
        )
    return format_html('<span class="muted" data-level="">{}</span>', _("not rated"))
