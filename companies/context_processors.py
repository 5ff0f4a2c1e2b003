"""Puts the user's companies and the company being worked on into every template, so
the header can offer the consultant's company switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from companies.models import Company

SESSION_KEY = "ctpat_active_company"


def active_company(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    mine = list(Company.objects.filter(memberships__user=user).only("pk", "legal_name"))
    company_pk = request.session.get(SESSION_KEY)
    active = next((c for c in mine if c.pk == company_pk), None)
    return {"my_companies": mine, "active_company": active}


def remember_company(request: HttpRequest, company: Company) -> None:
    """Called by company pages: the switcher and the home page follow the last company seen."""
    if request.session.get(SESSION_KEY) != company.pk:
        request.session[SESSION_KEY] = company.pk
