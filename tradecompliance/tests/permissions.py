"""Permission cases for the Trade Compliance pages and API (walked by core's matrix)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from portal.testing import (
    ANY_USER,
    EDITORS,
    MANAGERS,
    PROGRAM_OFFICE,
    SIGNERS,
    VIEWERS,
    PermissionCase,
)
from tradecompliance.models import Status
from tradecompliance.tests.factories import eligible, in_state, pdf

C = PermissionCase
OFFICE = frozenset(PROGRAM_OFFICE)


def _page(name: str) -> Any:
    return lambda t: reverse(name, args=[t.company.pk])


def _office(name: str) -> Any:
    return lambda t: reverse(name, args=[t.application.pk])


def _api(name: str) -> Any:
    return lambda t: reverse(name, args=[t.application.pk])


def _eligible(t: Any) -> None:
    eligible(t.company)


def _draft(t: Any) -> None:
    eligible(t.company)
    t.application = in_state(t.company, Status.DRAFT)


def _submitted(t: Any) -> None:
    eligible(t.company)
    t.application = in_state(t.company, Status.SUBMITTED)


def _under_review(t: Any) -> None:
    eligible(t.company)
    t.application = in_state(t.company, Status.UNDER_REVIEW)


def _approved(t: Any) -> None:
    eligible(t.company)
    t.application = in_state(t.company, Status.APPROVED)


def _with_evidence(t: Any) -> None:
    from tradecompliance.models import ForcedLaborEvidence

    t.evidence = ForcedLaborEvidence.objects.create(
        company=t.company,
        requirement="risk_mapping",
        file="tradecompliance/x.pdf",
        original_name="map.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )


def _with_letter(t: Any) -> None:
    from tradecompliance import workflow

    _approved(t)
    t.letter = workflow.submit_annual_notification(
        t.company,
        workflow.Letter(True, "Tested.", "", "", "Dana Price", "COO"),
        by=t.users["officer"],
    )


def _letter(t: Any) -> dict[str, Any]:
    return {
        "company": t.company.pk,
        "still_meets_requirements": True,
        "self_testing": "Tested classification and valuation controls.",
        "full_name": "Dana Price",
        "title": "COO",
    }


CASES = [
    C("tradecompliance:overview", _page("tradecompliance:overview"), VIEWERS),
    C(
        "tradecompliance:questionnaire",
        _page("tradecompliance:questionnaire"),
        EDITORS,
        setup=_eligible,
    ),
    C(
        "tradecompliance:questionnaire",
        _page("tradecompliance:questionnaire"),
        EDITORS,
        method="post",
        setup=_eligible,
        data=lambda t: {"authority": "yes"},
    ),
    C("tradecompliance:evidence-upload", _page("tradecompliance:evidence-upload"), EDITORS),
    C(
        "tradecompliance:evidence-upload",
        _page("tradecompliance:evidence-upload"),
        EDITORS,
        method="post",
        data=lambda t: {"requirement": "code_of_conduct", "file": pdf()},
    ),
    # The officer of an incomplete application sees what is missing (no MFA check yet).
    C("tradecompliance:sign", _page("tradecompliance:sign"), SIGNERS, setup=_eligible),
    C(
        "tradecompliance:sign",
        _page("tradecompliance:sign"),
        SIGNERS,
        method="post",
        setup=_eligible,
        data=lambda t: {"full_name": "Dana Price"},
    ),
    C("tradecompliance:anl", _page("tradecompliance:anl"), MANAGERS, setup=_approved),
    C(
        "tradecompliance:anl",
        _page("tradecompliance:anl"),
        MANAGERS,
        method="post",
        setup=_approved,
        data=lambda t: {"self_testing": ""},
    ),
    C(
        "tradecompliance_office:application-list",
        lambda t: reverse("tradecompliance_office:application-list"),
        OFFICE,
    ),
    C(
        "tradecompliance_office:application-detail",
        _office("tradecompliance_office:application-detail"),
        OFFICE,
        setup=_submitted,
    ),
    C(
        "tradecompliance_office:application-review",
        _office("tradecompliance_office:application-review"),
        OFFICE,
        method="post",
        setup=_submitted,
    ),
    C(
        "tradecompliance_office:application-approve",
        _office("tradecompliance_office:application-approve"),
        OFFICE,
        method="post",
        setup=_under_review,
    ),
    C(
        "tradecompliance_office:application-refuse",
        _office("tradecompliance_office:application-refuse"),
        OFFICE,
        method="post",
        setup=_under_review,
        data=lambda t: {"reason": "The audit trail is missing."},
    ),
    C(
        "api:trade-compliance-application-list",
        lambda t: reverse("api:trade-compliance-application-list"),
        ANY_USER,
        api=True,
    ),
    C(
        "api:trade-compliance-application-list",
        lambda t: reverse("api:trade-compliance-application-list"),
        EDITORS,
        api=True,
        method="post",
        setup=_eligible,
        data=lambda t: {"company": t.company.pk},
        ok=(200, 201),
    ),
    C(
        "api:trade-compliance-application-detail",
        _api("api:trade-compliance-application-detail"),
        VIEWERS,
        api=True,
        setup=_draft,
    ),
    C(
        "api:trade-compliance-application-answers",
        _api("api:trade-compliance-application-answers"),
        EDITORS,
        api=True,
        method="post",
        setup=_draft,
        data=lambda t: {"answers": {"authority": "yes"}},
    ),
    # The officer gets past the permission check to the authenticator-code check (400).
    C(
        "api:trade-compliance-application-sign",
        _api("api:trade-compliance-application-sign"),
        SIGNERS,
        api=True,
        method="post",
        setup=_draft,
        data=lambda t: {
            "full_name": "Dana Price",
            "title": "COO",
            "attest": True,
            "language": "en",
            "statement_sha256": "0" * 64,
            "otp_code": "000000",
        },
        ok=(400,),
    ),
    C(
        "api:trade-compliance-application-review",
        _api("api:trade-compliance-application-review"),
        OFFICE,
        api=True,
        method="post",
        setup=_submitted,
    ),
    C(
        "api:trade-compliance-application-approve",
        _api("api:trade-compliance-application-approve"),
        OFFICE,
        api=True,
        method="post",
        setup=_under_review,
    ),
    C(
        "api:trade-compliance-application-refuse",
        _api("api:trade-compliance-application-refuse"),
        OFFICE,
        api=True,
        method="post",
        setup=_under_review,
        data=lambda t: {"reason": "The audit trail is missing."},
    ),
    C(
        "api:forced-labor-evidence-list",
        lambda t: reverse("api:forced-labor-evidence-list"),
        ANY_USER,
        api=True,
    ),
    C(
        "api:forced-labor-evidence-list",
        lambda t: reverse("api:forced-labor-evidence-list"),
        EDITORS,
        api=True,
        method="post",
        data=lambda t: {"company": t.company.pk, "requirement": "risk_mapping", "file": pdf()},
        ok=(201,),
    ),
    C(
        "api:trade-compliance-letter-list",
        lambda t: reverse("api:trade-compliance-letter-list"),
        ANY_USER,
        api=True,
    ),
    C(
        "api:trade-compliance-letter-list",
        lambda t: reverse("api:trade-compliance-letter-list"),
        MANAGERS,
        api=True,
        method="post",
        setup=_approved,
        data=_letter,
        ok=(201,),
    ),
    C(
        "api:forced-labor-evidence-detail",
        lambda t: reverse("api:forced-labor-evidence-detail", args=[t.evidence.pk]),
        VIEWERS,
        api=True,
        setup=_with_evidence,
    ),
    C(
        "api:trade-compliance-letter-detail",
        lambda t: reverse("api:trade-compliance-letter-detail", args=[t.letter.pk]),
        VIEWERS,
        api=True,
        setup=_with_letter,
    ),
]
