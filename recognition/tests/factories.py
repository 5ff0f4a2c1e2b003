"""Test data for partner program statuses."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile

from companies.models import Company
from partners.models import BusinessPartner
from recognition.models import PartnerStatus, StatusProof

PDF_BYTES = b"%PDF-1.4\n% certificate\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def partner(company: Company, name: str = "Maquila Norte", **fields: Any) -> BusinessPartner:
    values: dict[str, Any] = {"role": "manufacturer", "country": "MX"}
    values.update(fields)
    return BusinessPartner.objects.create(company=company, name=name, **values)


def status(
    of: BusinessPartner,
    program: str = "ctpat",
    country: str = "US",
    *,
    proof: bool = True,
    issued_on: datetime.date | None = None,
    **fields: Any,
) -> PartnerStatus:
    item = PartnerStatus.objects.create(
        partner=of,
        program=program,
        country=country,
        number=fields.pop("number", "N-1"),
        issued_on=issued_on or datetime.date(2024, 1, 1),
        **fields,
    )
    if proof:
        attach_proof(item)
    return item


def attach_proof(item: PartnerStatus) -> StatusProof:
    proof = StatusProof(status=item, content_type="application/pdf")
    proof.file.save("certificate.pdf", ContentFile(PDF_BYTES), save=False)
    proof.original_name = "certificate.pdf"
    proof.size = len(PDF_BYTES)
    proof.sha256 = "0" * 64
    proof.save()
    return proof
