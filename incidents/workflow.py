"""Opening an incident with its notification checklist, recording a notification, and
raising the corrective actions its investigation calls for."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from actions.models import CorrectiveAction
from companies.models import Company
from core import uploads
from core.refusals import NotAllowed
from incidents.choices import IncidentKind, IncidentStatus, Party
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


def report_anonymously(
    company: Company,
    *,
    kind: str,
    description: str,
    location: str = "",
    upload: UploadedFile[bytes] | None = None,
) -> Incident:
    """Open the incident an anonymous report form sends, storing its file (if any) under a
    random directory, since the stored name must not be guessable. The file is removed again
    if the incident cannot be written."""
    stored = ""
    if upload:
        stored = default_storage.save(
            uploads.random_name(f"incidents/{company.pk}", upload.name or "attachment"), upload
        )
    try:
        return open_incident(
            company,
            kind=kind,
            title=_("Anonymous report"),
            description=description,
            location=location,
            anonymous=True,
            attachment=stored,
        )
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise


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


# The MSC criterion an incident of each kind most often shows a weakness in; the form
# starts with it and the person raising the action changes it when another one fits.
SUGGESTED_CRITERION = {
    IncidentKind.SEAL_DISCREPANCY: "6.1",
    IncidentKind.TAMPERING: "5.3",
    IncidentKind.UNAUTHORIZED_ACCESS: "7.24",
    IncidentKind.CONTRABAND: "5.3",
    IncidentKind.HUMAN_SMUGGLING: "5.3",
    IncidentKind.CYBER: "4.1",
    IncidentKind.CARGO_SHORTAGE: "7.27",
    IncidentKind.PEST: "8.1",
    IncidentKind.OTHER: "7.37",
}


class IncidentClosed(NotAllowed):
    """A closed incident takes no new corrective actions (API 409)."""

    code = "incident_closed"
    default_message = gettext_lazy(
        "The incident is closed; reopen it before raising a corrective action."
    )


def raise_action(
    incident: Incident,
    *,
    by: User,
    title: str,
    owner: User,
    due_date: datetime.date,
    criterion_ref: str = "",
    description: str = "",
) -> CorrectiveAction:
    """Create a corrective action from the incident's investigation. A closed incident
    takes no new actions: reopen it first, so its status says there is work left."""
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.status == IncidentStatus.CLOSED:
            raise IncidentClosed
        action = CorrectiveAction(
            company_id=locked.company_id,
            title=title[:200],
            description=description,
            criterion_ref=criterion_ref,
            owner=owner,
            due_date=due_date,
            source=locked,
            created_by=by,
        )
        action.full_clean(exclude=["source_type", "source_id", "created_by"])
        action.save()
        if locked.status == IncidentStatus.OPEN:
            # Raising an action means the investigation has started.
            locked.status = IncidentStatus.INVESTIGATING
            locked.save(update_fields=["status", "closed_at", "updated_at"])
    return action
