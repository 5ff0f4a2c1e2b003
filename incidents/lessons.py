"""Lessons learned from incidents, for the risk assessment (MSC 3.x: the assessment is
reviewed after a security incident). The risk assessment lists what `recent_lessons`
returns beside the threats it rates, each with a link back to the incident."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from companies.models import Company
from incidents.models import Incident


@dataclass(frozen=True)
class Lesson:
    """One incident's lessons: when it happened, what kind of incident it was (`kind` is
    the code, `type` the name in the active language), the lessons text and the page."""

    incident: Incident
    date: datetime.date
    kind: str
    type: str
    lessons: str
    url: str


def recent_lessons(company: Company, since: datetime.date) -> list[Lesson]:
    """The lessons of the company's incidents that happened on or after `since`, newest
    first; incidents without lessons written are left out. The caller has already checked
    that the user may see the company (the risk assessment page does)."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    incidents = (
        Incident.objects.filter(company=company, occurred_at__gte=start)
        .exclude(lessons_learned="")
        .order_by("-occurred_at", "-pk")
    )
    return [
        Lesson(
            incident=incident,
            date=timezone.localdate(incident.occurred_at),
            kind=incident.kind,
            type=str(incident.get_kind_display()),
            lessons=incident.lessons_learned.strip(),
            url=incident.get_absolute_url(),
        )
        for incident in incidents
        if incident.lessons_learned.strip()
    ]
