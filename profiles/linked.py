"""Records kept elsewhere in the portal that back a criterion: training and personnel
figures (training.evidence), field-operation figures (inspections.evidence) and the last
completed risk assessment (risk.evidence), shown on
the criterion's page beside the uploaded evidence. Each source answers for the criterion
ids it knows and returns nothing for the others."""

from __future__ import annotations

from dataclasses import dataclass

from companies.models import Company


@dataclass(frozen=True)
class LinkedRecord:
    """One figure from another part of the portal: what it is, its value, where to see it."""

    source: str
    label: str
    value: str
    url: str


def linked_records(company: Company, criterion_id: str) -> list[LinkedRecord]:
    from django.utils.translation import gettext as _

    from inspections.evidence import evidence_for as operations_evidence
    from risk.evidence import evidence_for as risk_evidence
    from training.evidence import evidence_for as people_evidence

    records = [
        LinkedRecord(_("Training and personnel"), item.label, item.figure, item.url)
        for item in people_evidence(company, criterion_id)
    ]
    records += [
        LinkedRecord(_("Field operations"), item.label, item.value, item.url)
        for item in operations_evidence(company, criterion_id)
    ]
    records += [
        LinkedRecord(_("Risk assessment"), item.label, item.value, item.url)
        for item in risk_evidence(company, criterion_id)
    ]
    return records
