"""Opening an incident with its notification checklist, and recording a notification."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from companies.models import Company
from incidents.choices import IncidentKind, Party
from incidents.models import Incident, Notification


def open_incident(company: Company, *, kind: str, title: str, **fields: Any) -> Incident:
    """Create the incident and one open notification line per party MSC 7.23 names."""
    with transaction.atomic():
        incident = Incident(company=company, kind=kind, title=title[:200], **fields)
        incident.full_clean(exclude=["reporter", "seal", "inspection"])
        incident.save()
        Notification.objects.bulk_create(
            Notification(incident=incident, party=party) for party in Party.values
        )
    return incident


def open_seal_discrepancy(seal: Any, *, description: str, reporter: Any) -> Incident:
    return open_incident(
        seal.company,
        kind=IncidentKind.SEAL_DISCREPANCY,
        title=f"Seal {seal.number}: discrepancy",
        description=description,
        seal=seal,
        reporter=reporter,
        location=seal.iit_number,
    )


def mark_notified(
    notification: Notification, *, by: Any, contact: str, note: str = ""
) -> Notification:
    notification.notified_at = timezone.now()
    notification.notified_by = by
    notification.contact = contact
    notification.note = note
    notification.save(update_fields=["notified_at", "notified_by", "contact", "note"])
    return notification
