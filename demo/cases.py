"""Program-office cases of the demo: one member company at each stage of the CTPAT
lifecycle, moved there through the real workflow functions (so every case has its events,
vetting, reviews, reports and appeals as a real one would). Before applying, each member
answers the first criteria of its security profile with a narrative and one document, so
the review and the worksheet show answers beside the decisions.

- applied: applied, not yet assigned (the supervisor assigns it);
- in_review: under review, one criterion rejected (the member answers it);
- certified: certified tier 1, a validation report awaiting the supervisor's approval;
- validated: validated, tier 2 (a finished case to look at);
- suspended: suspended for a security incident, 90-day response clock running;
- appeal: suspended for false information, the officer's appeal awaiting the supervisor.

Each company is loaded once: a company whose certification already left "draft" is left
alone, so a second `load_demo` changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from catalogue.models import Catalogue
from certification import workflow
from certification.choices import Outcome, State, VettingItem
from certification.models import CertificationEvent, ValidationReport

if TYPE_CHECKING:
    from accounts.models import User
    from certification.models import Certification
    from companies.models import Company

# (key, stage label shown in the load_demo output)
STAGES: list[tuple[str, str]] = [
    ("applied", "applied, waiting to be assigned"),
    ("in_review", "under review, one criterion rejected (the member answers)"),
    ("certified", "certified tier 1, validation report awaiting the supervisor"),
    ("validated", "validated, tier 2"),
    ("suspended", "suspended, 90-day response clock running"),
    ("appeal", "suspended for false information, appeal awaiting the supervisor"),
]


def _officer(company: Company) -> User:
    membership = company.memberships.select_related("user").get(role="officer")
    return membership.user


# What the member wrote, so the specialist's review and the worksheet show answers beside
# the decisions (the first criteria of the catalogue, one of them with a document).
ANSWERED = 12
NARRATIVE = (
    "Written procedure in place since 2024, owned by the security manager and reviewed "
    "each year; the records are kept at the head office."
)
# A one-page PDF: the smallest file the evidence upload accepts as a PDF.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _answer_profile(company: Company, officer: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from profiles import workflow as profiles_workflow
    from profiles.choices import ResponseStatus
    from profiles.models import SecurityProfile

    if Catalogue.objects.latest_published() is None:
        return  # no catalogue loaded: the cases go on without answers
    profile = SecurityProfile.start(company)
    responses = list(
        profile.responses.select_related("criterion").order_by(
            "criterion__category_number", "criterion__sequence"
        )[:ANSWERED]
    )
    for response in responses:
        response.save_edit(
            {"status": ResponseStatus.IMPLEMENTED, "narrative": NARRATIVE},
            by=officer,
            base_version=response.version,
        )
    if responses and not responses[0].evidence.exists():
        profiles_workflow.add_evidence(
            responses[0],
            title="Security policy statement",
            expires_on=None,
            upload=SimpleUploadedFile("security-policy.pdf", PDF, "application/pdf"),
            by=officer,
        )


def _apply(company: Company, officer: User) -> Certification:
    _answer_profile(company, officer)
    certification = workflow.certification_for(company)
    return workflow.perform("apply", certification, by=officer)


def _review(c: Certification, specialist: User, supervisor: User) -> Certification:
    workflow.assign(c, specialist, by=supervisor)
    return workflow.perform("start_review", c, by=specialist)


def _vet(c: Certification, specialist: User) -> None:
    for item in VettingItem.values:
        if item == VettingItem.LIST_SCREENING:
            workflow.screen_for_vetting(c, by=specialist)
        workflow.record_vetting(
            c, item, Outcome.PASSED, by=specialist, note="Checked for the demo case."
        )


def _criteria(company: Company) -> list[Any]:
    catalogue = Catalogue.objects.latest_published()
    if catalogue is None:
        return []
    return list(
        catalogue.criteria_for(company.business_type).order_by("category_number", "sequence")[:4]
    )


def _accept_some(c: Certification, specialist: User) -> None:
    for criterion in _criteria(c.company)[:3]:
        workflow.review_criterion(c, criterion, accepted=True, by=specialist)


def _certify(c: Certification, specialist: User) -> Certification:
    _vet(c, specialist)
    _accept_some(c, specialist)
    return workflow.perform("certify", c, by=specialist)


def _report(c: Certification, specialist: User) -> ValidationReport:
    today = timezone.localdate()
    report = ValidationReport.objects.create(
        certification=c,
        planned_start=today + datetime.timedelta(days=14),
        planned_end=today + datetime.timedelta(days=15),
        sites=c.company.addresses.values_list("name", flat=True).first() or "",
        team="Tom Becker (lead)",
        summary="Site visit and records review; the security profile matches what was seen.",
        tier_outcome=2,
        drafted_by=specialist,
    )
    return workflow.submit_report(report, by=specialist)


def applied(company: Company, officer: User, specialist: User, supervisor: User) -> None:
    _apply(company, officer)


def in_review(company: Company, officer: User, specialist: User, supervisor: User) -> None:
    c = _review(_apply(company, officer), specialist, supervisor)
    for item in (VettingItem.IDENTIFIERS, VettingItem.BONDS):
        workflow.record_vetting(c, item, Outcome.PASSED, by=specialist, note="Checked.")
    criteria = _criteria(company)
    for criterion in criteria[:2]:
        workflow.review_criterion(c, criterion, accepted=True, by=specialist)
    if len(criteria) > 2:
        workflow.review_criterion(
            c,
            criteria[2],
            accepted=False,
            by=specialist,
            comment="Describe how new business partners are screened before the first order, "
            "and attach the written procedure.",
        )


def certified(company: Company, officer: User, specialist: User, supervisor: User) -> None:
    c = _certify(_review(_apply(company, officer), specialist, supervisor), specialist)
    _report(c, specialist)


def validated(company: Company, officer: User, specialist: User, supervisor: User) -> None:
    c = _certify(_review(_apply(company, officer), specialist, supervisor), specialist)
    report = _report(c, specialist)
    workflow.decide_report(report, by=supervisor, approve=True, note="Approved.")
    workflow.perform("validate", c, by=specialist)


def suspended(company: Company, officer: User, specialist: User, supervisor: User) -> None:
    c = _certify(_review(_apply(company, officer), specialist, supervisor), specialist)
    workflow.perform(
        "suspend",
        c,
        by=specialist,
        reason="Unsealed trailers found at the El Paso yard during an unannounced visit.",
        suspension_reason="security_incident",
    )


def appeal(company: Company, officer: User, specialist: User, supervisor: User) -> None:
    c = _certify(_review(_apply(company, officer), specialist, supervisor), specialist)
    workflow.perform(
        "suspend",
        c,
        by=specialist,
        reason="The application named a warehouse the company had already closed.",
        suspension_reason="false_information",
    )
    event = CertificationEvent.objects.filter(certification=c, transition="suspend").latest(
        "created_at"
    )
    workflow.file_appeal(
        event,
        by=officer,
        grounds="The warehouse closed after we applied; we told the specialist by e-mail "
        "and attach the lease termination.",
    )


LOADERS: dict[str, Callable[..., None]] = {
    "applied": applied,
    "in_review": in_review,
    "certified": certified,
    "validated": validated,
    "suspended": suspended,
    "appeal": appeal,
}
# What each stage ends in, checked by the tests.
EXPECTED_STATE = {
    "applied": State.APPLIED,
    "in_review": State.UNDER_REVIEW,
    "certified": State.CERTIFIED,
    "validated": State.VALIDATED,
    "suspended": State.SUSPENDED,
    "appeal": State.SUSPENDED,
}


def load(companies: dict[str, Company], specialist: User, supervisor: User) -> list[str]:
    """Bring each stage company to its stage once; returns the stages loaded now."""
    loaded = []
    for key, _label in STAGES:
        company = companies[key]
        if workflow.certification_for(company).status != State.DRAFT:
            continue
        LOADERS[key](company, _officer(company), specialist, supervisor)
        loaded.append(key)
    return loaded
