"""Permission cases for the program-office pages and the certification API (walked by
core's permission matrix). Program-office pages: specialist and supervisor only; every
member persona gets 404."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from catalogue.models import Criterion
from certification.choices import ReportStatus, State
from certification.models import Appeal, CertificationEvent, CriterionReview, ValidationReport
from certification.tests.factories import certification_in
from portal.testing import (
    ANY_USER,
    EDITORS,
    MANAGERS,
    PROGRAM_OFFICE,
    SIGNERS,
    VIEWERS,
    PermissionCase,
)

C = PermissionCase
OFFICE = frozenset(PROGRAM_OFFICE)
# Steps on the API: the officer and the program office reach the account; the workflow
# may still refuse the step for their role (409).
STEPPERS = frozenset(SIGNERS | OFFICE)


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def cert(t: Any) -> int:
    return int(t.certification.pk)


def _applied(t: Any) -> None:
    t.certification = certification_in(State.APPLIED, t.company)
    t.check_row = t.certification.vetting.create(item="bonds", outcome="failed")


def _with_report(t: Any) -> None:
    t.certification = certification_in(State.CERTIFIED, t.company)
    t.report = ValidationReport.objects.create(
        certification=t.certification,
        summary="x",
        tier_outcome=2,
        drafted_by=t.users["officer"],
        status=ReportStatus.SUBMITTED,
    )


def _approved(t: Any) -> None:
    t.certification = certification_in(State.CERTIFIED, t.company)
    t.report = ValidationReport.objects.create(
        certification=t.certification,
        summary="x",
        tier_outcome=2,
        drafted_by=t.users["specialist"],
        status=ReportStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=t.users["supervisor"],
        required_actions="Fix the fence.",
        member_response="Fixed.",
        responded_at=timezone.now(),
    )


def _suspended(t: Any) -> None:
    t.certification = certification_in(State.SUSPENDED, t.company, suspended_at=timezone.now())
    t.event = CertificationEvent.objects.create(
        certification=t.certification,
        transition="suspend",
        from_status=State.CERTIFIED,
        to_status=State.SUSPENDED,
        actor_role="specialist",
        reason="x",
    )
    t.appeal = Appeal.objects.create(
        certification=t.certification,
        appealed_event=t.event,
        kind="benefit_denial",
        grounds="Fixed.",
        filed_by=t.users["officer"],
        filed_at=timezone.now(),
    )


def _review(t: Any) -> None:
    _applied(t)
    criterion = Criterion.objects.first()
    if criterion is None:
        from catalogue.models import Catalogue

        catalogue = Catalogue.objects.create(
            slug="msc-test", version="1", name="MSC", effective_date=timezone.localdate()
        )
        criterion = Criterion.objects.create(
            catalogue=catalogue,
            ref_id="1.1",
            category_number=1,
            sequence=1,
            focus_area="x",
            category_name="x",
            requirement="must",
            summary="x",
            evidence="x",
        )
    t.review = CriterionReview.objects.create(
        certification=t.certification,
        criterion=criterion,
        accepted=False,
        comment="Add dates.",
        reviewer=t.users["specialist"],
    )


CASES = [
    C("certification:deadline-list", _url("certification:deadline-list"), ANY_USER, setup=_applied),
    C("certification:certification-list", _url("certification:certification-list"), OFFICE),
    C(
        "certification:certification-detail",
        _url("certification:certification-detail", cert),
        OFFICE,
        setup=_applied,
    ),
    C(
        "certification:certification-transition",
        _url("certification:certification-transition", cert),
        OFFICE,
        method="post",
        data=lambda t: {"transition": "start_review"},
        setup=_applied,
    ),
    C(
        "certification:certification-assign",
        _url("certification:certification-assign", cert),
        OFFICE,
        method="post",
        setup=_applied,
    ),
    C(
        "certification:vettingcheck-record",
        _url("certification:vettingcheck-record", cert),
        OFFICE,
        method="post",
        data=lambda t: {"item": "bonds", "outcome": "passed"},
        setup=_applied,
    ),
    C(
        "certification:vettingcheck-override",
        _url("certification:vettingcheck-override", lambda t: t.check_row.pk),
        OFFICE,
        method="post",
        data=lambda t: {"override_reason": "Bond on file."},
        setup=_applied,
    ),
    C(
        "certification:criterionreview-create",
        _url("certification:criterionreview-create", cert),
        OFFICE,
        method="post",
        data=lambda t: {"criterion": t.review.criterion_id, "accepted": "1"},
        setup=_review,
    ),
    C(
        "certification:validationreport-create",
        _url("certification:validationreport-create", cert),
        OFFICE,
        method="post",
        data=lambda t: {"summary": "Visited.", "tier_outcome": "2", "with_visit": "on"},
        setup=_with_report,
    ),
    C(
        "certification:validationreport-decide",
        _url("certification:validationreport-decide", lambda t: t.report.pk),
        OFFICE,
        method="post",
        data=lambda t: {"approve": "1"},
        setup=_with_report,
    ),
    C(
        "certification:appeal-decide",
        _url("certification:appeal-decide", lambda t: t.appeal.pk),
        OFFICE,
        method="post",
        data=lambda t: {"approve": "1"},
        setup=_suspended,
    ),
    C("api:certification-list", _url("api:certification-list"), ANY_USER, api=True),
    C(
        "api:certification-detail",
        _url("api:certification-detail", cert),
        VIEWERS,
        api=True,
        setup=_applied,
    ),
    C(
        "api:certification-transition",
        _url("api:certification-transition", cert),
        STEPPERS,
        api=True,
        method="post",
        data=lambda t: {"transition": "withdraw"},
        setup=_applied,
        ok=(200, 409),
    ),
    C(
        "api:certification-respond-to-suspension",
        _url("api:certification-respond-to-suspension", cert),
        STEPPERS,
        api=True,
        method="post",
        data=lambda t: {"text": "New seals."},
        setup=_suspended,
        ok=(200, 409),
    ),
    C(
        "api:certification-appeal",
        _url("api:certification-appeal", cert),
        STEPPERS,
        api=True,
        method="post",
        data=lambda t: {"event": t.event.pk, "grounds": "Fixed."},
        setup=_suspended,
        ok=(201, 409),
    ),
    C("api:criterionreview-list", _url("api:criterionreview-list"), ANY_USER, api=True),
    C(
        "api:criterionreview-detail",
        _url("api:criterionreview-detail", lambda t: t.review.pk),
        VIEWERS,
        api=True,
        setup=_review,
    ),
    C(
        "api:criterionreview-respond",
        _url("api:criterionreview-respond", lambda t: t.review.pk),
        EDITORS,
        api=True,
        method="post",
        data=lambda t: {"text": "Dates added."},
        setup=_review,
    ),
]

CASES += [
    C(
        "certification:validationreport-accept-response",
        _url("certification:validationreport-accept-response", lambda t: t.report.pk),
        OFFICE,
        method="post",
        setup=_approved,
    ),
    C("api:validationreport-list", _url("api:validationreport-list"), ANY_USER, api=True),
    C(
        "api:validationreport-detail",
        _url("api:validationreport-detail", lambda t: t.report.pk),
        VIEWERS,
        api=True,
        setup=_approved,
    ),
    C(
        "api:validationreport-respond",
        _url("api:validationreport-respond", lambda t: t.report.pk),
        MANAGERS,
        api=True,
        method="post",
        data=lambda t: {"text": "Fence fixed."},
        setup=_approved,
    ),
]


def company(t: Any) -> int:
    return int(t.company.pk)


def _review_with_note(t: Any) -> None:
    _review(t)
    t.review.member_response = "Dates added."
    t.review.save()


# The member's certification pages: readers see them (program office included); only the
# company's editors write.
CASES += [
    C(
        "certification_member:status",
        _url("certification_member:status", company),
        VIEWERS,
        setup=_applied,
    ),
    C(
        "certification_member:profile-review",
        _url("certification_member:profile-review", company),
        VIEWERS,
        setup=_review,
    ),
    C(
        "certification_member:review-note",
        _url("certification_member:review-note", company, lambda t: t.review.pk),
        EDITORS,
        method="post",
        data=lambda t: {"note": "Dates added."},
        setup=_review,
    ),
    C(
        "certification_member:review-send",
        _url("certification_member:review-send", company),
        EDITORS,
        method="post",
        setup=_review_with_note,
    ),
]


def _draft_report(t: Any) -> None:
    from catalogue.models import Catalogue
    from catalogue.tests.factories import make_catalogue

    catalogue = Catalogue.objects.latest_published()
    if catalogue is None:
        catalogue = make_catalogue()
        catalogue.publish()
    t.criterion = catalogue.criteria_for(t.company.business_type).first()
    t.certification = certification_in(State.CERTIFIED, t.company)
    t.report = ValidationReport.objects.create(
        certification=t.certification,
        summary="x",
        tier_outcome=2,
        drafted_by=t.users["specialist"],
    )


CASES += [
    C(
        "certification:validationreport-worksheet",
        _url("certification:validationreport-worksheet", lambda t: t.report.pk),
        OFFICE,
        setup=_draft_report,
    ),
    C(
        "certification:worksheetentry-save",
        _url("certification:worksheetentry-save", lambda t: t.report.pk, lambda t: t.criterion.pk),
        OFFICE,
        method="post",
        data=lambda t: {
            f"c{t.criterion.pk}-observation": "observed",
            f"c{t.criterion.pk}-finding": "none",
        },
        setup=_draft_report,
    ),
    C(
        "certification_member:report-respond",
        _url("certification_member:report-respond", company, lambda t: t.report.pk),
        MANAGERS,
        method="post",
        data=lambda t: {"response": "Fence fixed."},
        setup=_approved,
    ),
]

CASES += [
    C(
        "certification:vettingcheck-screen",
        _url("certification:vettingcheck-screen", cert),
        OFFICE,
        method="post",
        setup=_applied,
    ),
]

CASES += [
    C(
        "certification_member:suspension-respond",
        _url("certification_member:suspension-respond", company),
        SIGNERS,
        method="post",
        data=lambda t: {"response": "New seals."},
        setup=_suspended,
    ),
    C(
        "certification_member:appeal-file",
        _url("certification_member:appeal-file", company, lambda t: t.event.pk),
        SIGNERS,
        method="post",
        data=lambda t: {"grounds": "Fixed."},
        setup=_suspended,
    ),
]


def _pdf(t: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from profiles.tests.factories import PDF_BYTES

    return {"title": "Visit agenda", "file": SimpleUploadedFile("agenda.pdf", PDF_BYTES)}


# The case workspace's dashboard and the documents exchanged on the case.
CASES += [
    C("certification:dashboard", _url("certification:dashboard"), OFFICE, setup=_applied),
    C(
        "certification:casedocument-upload",
        _url("certification:casedocument-upload", cert),
        OFFICE,
        method="post",
        data=_pdf,
        setup=_applied,
    ),
    C(
        "certification_member:document-upload",
        _url("certification_member:document-upload", company),
        EDITORS,
        method="post",
        data=_pdf,
        setup=_applied,
    ),
]
