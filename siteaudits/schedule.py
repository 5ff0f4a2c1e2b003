"""When a partner's next site audit falls due: a cycle by criticality tier.

CBP asks members to verify their partners' security on a risk basis (MSC 3.1, 3.5) and
names no interval for on-site visits, so the months are this organisation's choice, set in
`CTPAT_SITE_AUDIT_MONTHS_HIGH` / `_MEDIUM` / `_LOW` (defaults 12, 24, 36; 0 = no visit
due for that tier). The cycle runs from the date the last audit was completed.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from partners.models import Tier


def cycle_months(tier: str) -> int:
    by_tier: dict[str, int] = {
        Tier.HIGH: settings.CTPAT_SITE_AUDIT_MONTHS_HIGH,
        Tier.MEDIUM: settings.CTPAT_SITE_AUDIT_MONTHS_MEDIUM,
        Tier.LOW: settings.CTPAT_SITE_AUDIT_MONTHS_LOW,
    }
    return int(by_tier.get(tier, settings.CTPAT_SITE_AUDIT_MONTHS_HIGH))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def next_due(tier: str, last_completed: datetime.date | None) -> datetime.date | None:
    """The next visit's due date, or None (never audited, or no visit due for the tier)."""
    months = cycle_months(tier)
    if last_completed is None or months <= 0:
        return None
    return add_months(last_completed, months)
