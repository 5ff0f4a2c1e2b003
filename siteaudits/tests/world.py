"""The site-audit tests' world: a small catalogue, a Mexican carrier partner, an audit
planned on it through the workflow, and helpers to record and complete it."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import BusinessPartner
from profiles.tests.factories import make_catalogue
from siteaudits import workflow
from siteaudits.models import ItemPhoto, SiteAudit


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real 40×30 PNG (the PDF renderer draws it)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def photo_upload(name: str = "fence.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def make_partner(company: Any, **fields: Any) -> BusinessPartner:
    values = {
        "name": "Transportes del Norte",
        "role": "highway_carrier",
        "country": "MX",
        "contact_email": "seguridad@tnorte.test",
        "yearly_volume": 500,
    }
    values.update(fields)
    return BusinessPartner.objects.create(company=company, **values)


def plan(company: Any, partner: BusinessPartner, auditor: Any, **fields: Any) -> SiteAudit:
    values: dict[str, Any] = {"planned_on": "2026-03-02", "language": "es"}
    values.update(fields)
    audit = SiteAudit(company=company, partner=partner, auditor=auditor, **values)
    return workflow.plan_audit(audit, by=auditor)


def record_all(audit: SiteAudit, by: Any, *, fail: int = 1) -> None:
    """Every item met, except the first `fail`, not met (major)."""
    for item in audit.items.all():
        if item.position <= fail:
            workflow.record_item(
                item, result="not_met", severity="major", notes="Gate left open", by=by
            )
        else:
            workflow.record_item(item, result="met", severity="", notes="", by=by)


def add_photo(audit: SiteAudit, stored: str) -> ItemPhoto:
    return ItemPhoto.objects.create(
        item=audit.items.get(position=1),
        file=stored,
        original_name="fence.png",
        content_type="image/png",
        size=10,
        sha256="0" * 64,
    )


def world(t: Any) -> None:
    """For the permission matrix: a planned audit with a photo, a completed audit with a
    corrective action and the partner's link (`t.token`), an own checklist."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    make_catalogue()
    t.partner = make_partner(t.company)
    t.audit = plan(t.company, t.partner, t.users["user"])
    t.item = t.audit.items.first()
    name = "ctpat-permission-matrix/siteaudit.png"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(png_bytes()))
    t.photo = add_photo(t.audit, name)
    t.done = plan(t.company, t.partner, t.users["user"])
    record_all(t.done, t.users["user"])
    _actions, t.token = workflow.complete_audit(t.done, by=t.users["user"])
    t.action = workflow.actions_of(t.done).get()
