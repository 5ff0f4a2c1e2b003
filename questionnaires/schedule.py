"""When a partner is due for its next questionnaire: the re-assessment cycle by criticality.

The member re-assesses a partner from the date of the last submitted questionnaire: every
year for a high-criticality partner, every two years for a medium one, every three for a
low one (a risk-based cycle in the sense of MSC 3.1 and 3.5).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from partners.models import BusinessPartner, Tier

REASSESS_YEARS: dict[str, int] = {Tier.HIGH: 1, Tier.MEDIUM: 2, Tier.LOW: 3}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def reassessment_due(tier: str, last_submitted: datetime.date) -> datetime.date:
    return add_years(last_submitted, REASSESS_YEARS.get(tier, 1))


def last_submitted_on(partner: BusinessPartner) -> datetime.date | None:
    from questionnaires.models import Status

    last = (
        partner.questionnaires.filter(status=Status.SUBMITTED, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return timezone.localdate(last) if last else None


def next_due_for(partner: BusinessPartner) -> datetime.date | None:
    """The re-assessment date of the partner, or None when it was never assessed."""
    last = last_submitted_on(partner)
    return reassessment_due(partner.tier, last) if last else None


def due_partners(
    company_id: int, today: datetime.date, within_days: int = 60
) -> list[tuple[BusinessPartner, datetime.date]]:
    """Partners assessed before whose re-assessment falls due within `within_days` days
    (or has passed) and that have no questionnaire out, soonest first."""
    from django.db.models import Max

    from questionnaires.models import AWAITING, Status

    horizon = today + datetime.timedelta(days=within_days)
    partners = (
        BusinessPartner.objects.filter(
            company_id=company_id, questionnaires__status=Status.SUBMITTED
        )
        .exclude(questionnaires__status__in=AWAITING)
        .annotate(last=Max("questionnaires__submitted_at"))
    )
    due = []
    for partner in partners:
        when = reassessment_due(partner.tier, timezone.localdate(partner.last))
        if when <= horizon:
            due.append((partner, when))
    return sorted(due, key=lambda item: (item[1], item[0].name))
