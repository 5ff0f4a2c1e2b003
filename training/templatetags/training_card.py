"""`{% load training_card %}{% training_card company %}`: the training completion card
(completion by course as accessible bars) for the company overview or any dashboard."""

from __future__ import annotations

from typing import Any

from django import template

from companies.models import Company
from training.effectiveness import effectiveness
from training.matrix import course_summaries, totals_of

register = template.Library()


@register.inclusion_tag("training/_card.html")
def training_card(company: Company) -> dict[str, Any]:
    summaries = course_summaries(company)
    measures = effectiveness([s.course for s in summaries if s.course])
    return {
        "company": company,
        "summaries": [(s, measures[s.course.pk]) for s in summaries if s.course],
        "totals": totals_of(summaries),
    }
