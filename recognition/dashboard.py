"""What recognition adds to the partners dashboard (`partners.dashboard`, through
`core.panels`): which partners take the short vetting path, and the program statuses
whose proof expires soon or ran out lately."""

from __future__ import annotations

import datetime
from typing import Any

from companies.models import Company
from partners.models import BusinessPartner
from recognition.evidence import valid_status_partners
from recognition.models import EXPIRY_WARNING_DAYS, PartnerStatus


def partner_figures(company: Company, user: Any, today: datetime.date) -> dict[str, Any]:
    """`short_path` (a filter of the partners with a current, recognised status: the
    short path; counted in SQL by the dashboard),
    `expiring` (statuses expiring within `warning_days`), `lapsed` (expired in the last
    `warning_days` and leaving their partner on the full questionnaire)."""
    short_path = valid_status_partners(company, today)
    statuses = PartnerStatus.objects.filter(
        pk__in=PartnerStatus.objects.for_user(user).filter(partner__company=company).values("pk")
    )
    expiring = list(
        statuses.expiring(today).select_related("partner").order_by("expires_on", "partner__name")
    )
    window = today - datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    lapsed = list(
        statuses.filter(expires_on__gte=window, expires_on__lt=today)
        .exclude(partner__in=BusinessPartner.objects.filter(short_path))
        .select_related("partner")
        .order_by("-expires_on", "partner__name")
    )
    return {
        "short_path": short_path,
        "expiring": expiring,
        "lapsed": lapsed,
        "warning_days": EXPIRY_WARNING_DAYS,
    }


def register() -> None:
    from core import panels

    panels.register("partners.dashboard", "recognition", partner_figures, order=10)
