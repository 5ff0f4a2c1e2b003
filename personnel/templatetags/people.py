"""Template helpers of the personnel and training pages."""

from __future__ import annotations

from typing import Any

from django import template

from companies.models import Company
from personnel.sensitive import company_allows

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context: Any, company: Company, action: str) -> bool:
    """`{% allowed company "edit" as can_edit %}`: show a link only to those who may use it."""
    request = context.get("request")
    if request is None:
        return False
    cache: dict[tuple[int, str], bool] = context.render_context.setdefault("ctpat_allowed", {})
    key = (company.pk, action)
    if key not in cache:
        cache[key] = company_allows(request.user, company, action)
    return cache[key]
