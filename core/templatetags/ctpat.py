"""Template helpers shared by every app."""

from __future__ import annotations

from django import template
from django.db.models import Model
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core import files
from core.idempotency import FIELD, new_key

register = template.Library()


@register.simple_tag
def submission_key() -> SafeString:
    """A hidden input that lets the server recognise a repeated submission of this form."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())


@register.simple_tag
def protected_file_url(obj: Model, field: str) -> str:
    """`{% protected_file_url obj "field" %}`: the address that serves the uploaded file
    through its permission check (never `obj.field.url`, which is not served)."""
    return files.protected_url(obj, field)


@register.inclusion_tag("core/our_rule.html")
def our_rule(setting: str = "") -> dict[str, str]:
    """A small label for a deadline this organisation chose (CBP publishes no figure), so
    nobody takes it for a CBP rule; `setting` names the variable an administrator changes."""
    return {"setting": setting}
