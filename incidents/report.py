"""The anonymous reporting link (MSC 7.25): a random per-company token names the company, so
the URL reveals nothing about which companies exist, the company's officer or admin can
rotate it, and a fixed-window counter in the cache limits how often one client may send a
report."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from companies.models import Company
from core import ratelimit
from core.tenancy import get_for_user_or_404
from incidents.models import ReportLink, new_report_token


def link_for(company: Company) -> ReportLink:
    """The company's reporting link, created the first time it is needed."""
    link, _created = ReportLink.objects.get_or_create(company=company)
    return link


def company_for(token: str) -> Company | None:
    """The company whose current link has this token; None for anything else (unknown,
    rotated, malformed), so every bad link gets the same answer."""
    if not token or len(token) > 64:
        return None
    link = ReportLink.objects.select_related("company").filter(token=token).first()
    return link.company if link is not None else None


def rotate(company: Company, *, by: User) -> ReportLink:
    """Give the company a new reporting link; the old one stops working at once.

    Only someone who may manage the company (officer or admin) may rotate: anyone else gets
    404, as for any company they cannot manage."""
    get_for_user_or_404(Company, by, "manage", pk=company.pk)
    with transaction.atomic():
        link = link_for(company)
        link = ReportLink.objects.select_for_update().get(pk=link.pk)
        link.token = new_report_token()
        link.rotated_at = timezone.now()
        link.rotated_by = by
        link.save(update_fields=["token", "rotated_at", "rotated_by", "updated_at"])
    return link


def limits() -> tuple[int, int]:
    """(reports allowed, window in seconds) per client address."""
    limit, window = getattr(settings, "INCIDENT_REPORT_RATE", (5, 3600))
    return int(limit), int(window)


def allow(request: HttpRequest) -> bool:
    """Count one report from this client (`core.clientip`); False once the window's
    allowance is used."""
    return ratelimit.allow_client("incidents:report", request, *limits())
