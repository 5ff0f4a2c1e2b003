"""`{% load training_card %}{% training_card company %}`: the training completion card
(completion by course as accessible bars) for the company overview or any dashboard."""

from __future__ import annotations

from typing import Any

from django import template

from companies.models import Company
from training.effectiveness import effectiveness
from training.matrix import build_matrix

register = template.Library()


@register.inclusion_tag("training/_card.html")
def training_card(company: Company) -> dict[str, Any]:
    matrix = build_matrix(company)
    measures = effectiveness(matrix.courses)
    return {
        "company": company,
        "summaries": [(s, measures[s.course.pk]) for s in matrix.summaries() if s.course],
        "totals": matrix.totals(),
    }
