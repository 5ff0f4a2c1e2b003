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


def partner_figures(company: Company, user: object, today: object) -> dict[str, dict[str, int]]:
    """The questionnaire tile of the partners dashboard (through `core.panels`)."""
    return {"questionnaires": counts(company)}


def register() -> None:
    from core import panels

    panels.register("partners.dashboard", "questionnaires", partner_figures, order=20)
