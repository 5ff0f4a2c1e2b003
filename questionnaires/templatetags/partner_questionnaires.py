"""`{% partner_questionnaires partner %}`: the questionnaire summary on a partner's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from partners.models import BusinessPartner
from questionnaires import schedule, workflow

register = template.Library()


@register.inclusion_tag("questionnaires/_partner_summary.html")
def partner_questionnaires(partner: BusinessPartner) -> dict[str, Any]:
    latest = partner.questionnaires.first()
    last = schedule.last_submitted_on(partner)
    due = schedule.reassessment_due(partner.tier, last) if last else None
    return {
        "partner": partner,
        "latest": latest,
        "band_label": workflow.band_label(latest.band) if latest else "",
        "next_due": due,
        "due_passed": due is not None and due < timezone.localdate(),
    }
