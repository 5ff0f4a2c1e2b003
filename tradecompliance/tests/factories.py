"""Worlds for the Trade Compliance tests: an eligible importer, a complete draft, a
submitted or approved application."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification.choices import State
from certification.tests.factories import certification_in
from companies.models import Company
from tradecompliance import workflow
from tradecompliance.catalogue import program
from tradecompliance.models import Status, TradeComplianceApplication

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def eligible(company: Company, tier: int = 2) -> Company:
    """A validated CTPAT partner (tier 2 or 3) in good standing."""
    certification_in(State.VALIDATED, company, tier=tier)
    return company


def all_yes() -> dict[str, str]:
    return {q.key: "yes" for q in program().questions}


def complete(company: Company, by: Any) -> TradeComplianceApplication:
    """An eligible company's draft with every answer and one file per requirement."""
    workflow.save_answers(company, all_yes(), by=by)
    for requirement in program().requirements:
        workflow.attach_evidence(company, requirement.key, pdf(f"{requirement.key}.pdf"), by=by)
    application = workflow.open_application(company)
    assert application is not None
    return application


def signing(language: str = "en", **changes: Any) -> workflow.Signing:
    values: dict[str, Any] = {
        "full_name": "Dana Price",
        "title": "Chief Operating Officer",
        "language": language,
        "shown_sha256": workflow.statement(language)[1],
        "ip_address": "127.0.0.1",
    }
    values.update(changes)
    return workflow.Signing(**values)


def submitted(company: Company, officer: Any) -> TradeComplianceApplication:
    complete(company, officer)
    return workflow.sign_and_submit(company, officer, signing())


def in_state(company: Company, status: str, **fields: Any) -> TradeComplianceApplication:
    """An application in `status`, set directly (a fixture, not the workflow)."""
    values: dict[str, Any] = {
        "status": status,
        "answers": {k: {"answer": "yes", "explanation": ""} for k in all_yes()},
    }
    if status != Status.DRAFT:
        values.update(signer_name="Dana Price", signer_title="COO", submitted_at=timezone.now())
    if status == Status.APPROVED:
        values.update(approved_on=timezone.localdate(), decided_at=timezone.now())
    values.update(fields)
    return TradeComplianceApplication.objects.create(company=company, **values)
