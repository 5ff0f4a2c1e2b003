"""Which partners have questionnaire work outstanding, for other apps' evidence checks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Max
from django.utils import timezone

from companies.models import Company
from partners.models import BusinessPartner
from questionnaires.models import Questionnaire, Status
from questionnaires.schedule import reassessment_due


def partner_ids_with_open_questionnaires(
    company: Company, today: datetime.date | None = None, *, among: Iterable[int] | None = None
) -> set[int]:
    """Partners of `company` with a questionnaire sent and not yet submitted, or whose
    re-assessment (by tier, from the last submitted questionnaire) is past due (only
    those `among` the given ids when given)."""
    today = today or timezone.localdate()
    awaiting = Questionnaire.objects.filter(company=company).awaiting()
    partners = BusinessPartner.objects.filter(company=company)
    if among is not None:
        wanted = sorted(set(among))
        awaiting = awaiting.filter(partner_id__in=wanted)
        partners = partners.filter(pk__in=wanted)
    ids = set(awaiting.values_list("partner_id", flat=True))
    assessed = (
        partners.filter(questionnaires__status=Status.SUBMITTED)
        .annotate(last=Max("questionnaires__submitted_at"))
        .values_list("pk", "tier", "last")
    )
    for pk, tier, last in assessed:
        if last is not None and reassessment_due(tier, timezone.localdate(last)) < today:
            ids.add(pk)
    return ids
