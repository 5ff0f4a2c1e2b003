"""Questionnaire figures for a company's dashboards."""

from __future__ import annotations

from django.utils import timezone

from companies.models import Company
from questionnaires.models import Questionnaire


def counts(company: Company) -> dict[str, int]:
    """{"sent": awaiting answers (overdue ones included), "overdue": awaiting past the
    link's expiry, "submitted": answered and locked}. Revoked links count nowhere."""
    mine = Questionnaire.objects.filter(company=company)
    return {
        "sent": mine.awaiting().count(),
        "overdue": mine.overdue(timezone.now()).count(),
        "submitted": mine.submitted().count(),
    }
