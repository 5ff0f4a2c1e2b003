"""`{{ criterion|msc_summary }}`: a criterion's summary in the reader's language.

Takes a Criterion, or anything that carries a `summary` (a frozen submission row, a shared
summary's item, a dict): in Spanish the shipped translation of that exact English text
(catalogue/translations.py), or the criterion's own `text_es`; otherwise the summary as it
is. Frozen snapshots stay frozen: only their reading changes with the language.
"""

from __future__ import annotations

from typing import Any

from django import template

from catalogue import translations
from catalogue.models import Criterion, spanish_reader

register = template.Library()


@register.filter
def msc_summary(item: Any) -> str:
    if isinstance(item, Criterion):
        return item.summary_local
    summary = item.get("summary", "") if isinstance(item, dict) else getattr(item, "summary", "")
    summary = str(summary or "")
    if spanish_reader():
        return translations.spanish_summary(summary) or summary
    return summary
