"""Recording an inspection: the record, one row per checklist point and the photos, in one
transaction, recognised by the phone's key so a resend never makes a second record."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from companies.models import Company
from core.uploads import IMAGE_KINDS, check_upload
from inspections.checklists import Checklist
from inspections.choices import Result
from inspections.models import GateEntry, Inspection, InspectionResult
from seals.workflow import verify_on_inspection


@dataclass
class PointAnswer:
    result: str = ""
    note: str = ""
    photo: UploadedFile[Any] | None = None


def answer_errors(checklist: Checklist, answers: dict[str, PointAnswer]) -> dict[str, str]:
    """Rules on the point answers that the page and the API share, by point key: a failed
    point says what failed."""
    errors: dict[str, str] = {}
    for point in checklist.points:
        answer = answers.get(point.key)
        if answer is not None and answer.result == Result.FAIL and not answer.note.strip():
            errors[point.key] = _("Say what failed at “%(point)s”.") % {"point": point.label}
    return errors


@dataclass
class Recorded:
    inspection: Inspection
    created: bool
    stored: list[str] = field(default_factory=list)


def record_inspection(
    company: Company,
    checklist: Checklist,
    *,
    client_key: uuid.UUID,
    fields: dict[str, Any],
    answers: dict[str, PointAnswer],
    inspector: User,
) -> Recorded:
    """Create the inspection, or return the one already made with this key."""
    existing = Inspection.objects.filter(company=company, client_key=client_key).first()
    if existing is not None:
        return Recorded(existing, created=False)
    checked = {key: check_upload(a.photo, IMAGE_KINDS) for key, a in answers.items() if a.photo}
    stored: list[str] = []
    try:
        with transaction.atomic():
            inspection = Inspection(
                company=company,
                client_key=client_key,
                checklist_key=checklist.key,
                checklist_name=checklist.name_en,
                inspector=inspector,
                **fields,
            )
            inspection.full_clean(exclude=["inspector"])
            inspection.save()
            rows = []
            for position, point in enumerate(checklist.points, start=1):
                answer = answers.get(point.key, PointAnswer())
                photo = ""
                if answer.photo is not None:
                    ext = checked[point.key].extension
                    photo = default_storage.save(
                        f"inspections/{company.pk}/{uuid.uuid4().hex}{ext}", answer.photo
                    )
                    stored.append(photo)
                rows.append(
                    InspectionResult(
                        inspection=inspection,
                        position=position,
                        key=point.key,
                        label_en=point.en,
                        label_es=point.es,
                        result=answer.result,
                        note=answer.note[:500],
                        photo=photo,
                    )
                )
            InspectionResult.objects.bulk_create(rows)
            inspection.recount()
            # The seal written on the inspection is checked against the seal log in the
            # same transaction: affixed when it was issued, a discrepancy otherwise.
            verify_on_inspection(inspection, by=inspector)
    except IntegrityError:
        for name in stored:
            default_storage.delete(name)
        # Two copies of the same send raced; the other one won.
        return Recorded(Inspection.objects.get(company=company, client_key=client_key), False)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return Recorded(inspection, created=True, stored=stored)


def record_gate_entry(
    company: Company, *, client_key: uuid.UUID, fields: dict[str, Any], by: User
) -> tuple[GateEntry, bool]:
    existing = GateEntry.objects.filter(company=company, client_key=client_key).first()
    if existing is not None:
        return existing, False
    entry = GateEntry(company=company, client_key=client_key, recorded_by=by, **fields)
    entry.full_clean(exclude=["recorded_by", "inspection"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        return GateEntry.objects.get(company=company, client_key=client_key), False
    return entry, True


def send_inspection_sheet(
    inspection: Inspection, recipients: list[str], language: str, *, by: User
) -> None:
    """E-mail the inspection's printable sheet to `recipients` once the current transaction
    commits (a background task renders the PDF)."""
    from inspections.tasks import email_inspection_sheet

    transaction.on_commit(
        lambda: email_inspection_sheet.enqueue(inspection.pk, list(recipients), language)
    )
