"""Permission cases for the eligibility wizard and API (walked by core's permission matrix)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from eligibility.models import EligibilityCheck
from eligibility.workflow import applicable_questions
from portal.testing import ANY_USER, EDITORS, VIEWERS, PermissionCase

C = PermissionCase


def _all_met(business_type: str = "importer", country: str = "US") -> dict[str, str]:
    return {q.id: q.qualifying_answer for q in applicable_questions(business_type, "", country)}


def _make_check(t: Any) -> None:
    t.check = EligibilityCheck.objects.create(
        company=t.company,
        business_type="importer",
        country="US",
        questions_version="test",
        answers=_all_met(),
        qualifies=True,
    )


def _company_url(name: str) -> Any:
    return lambda t: reverse(name, args=[t.company.pk])


CASES = [
    C("eligibility:check", _company_url("eligibility:check"), VIEWERS),
    C(
        "eligibility:check",
        _company_url("eligibility:check"),
        EDITORS,
        method="post",
        data=lambda t: {"business_type": "importer", "business_subtype": "", "country": "US"},
    ),
    C("eligibility:check-answers", _company_url("eligibility:check-answers"), EDITORS),
    C(
        "eligibility:check-answers",
        _company_url("eligibility:check-answers"),
        EDITORS,
        method="post",
        data=lambda t: {"business_type": "importer", "country": "US", **_all_met()},
    ),
    C(
        "eligibility:check-detail",
        lambda t: reverse("eligibility:check-detail", args=[t.company.pk, t.check.pk]),
        VIEWERS,
        setup=_make_check,
    ),
    C(
        "api:eligibility-question-list",
        lambda t: reverse("api:eligibility-question-list") + "?business_type=importer&country=US",
        ANY_USER,
        api=True,
    ),
    C(
        "api:eligibility-check-list",
        lambda t: reverse("api:eligibility-check-list"),
        ANY_USER,
        api=True,
    ),
    C(
        "api:eligibility-check-list",
        lambda t: reverse("api:eligibility-check-list"),
        EDITORS,
        api=True,
        method="post",
        data=lambda t: {"company": t.company.pk, "answers": _all_met()},
    ),
    C(
        "api:eligibility-check-detail",
        lambda t: reverse("api:eligibility-check-detail", args=[t.check.pk]),
        VIEWERS,
        api=True,
        setup=_make_check,
    ),
    C(
        "api:identifier-validate",
        lambda t: reverse("api:identifier-validate"),
        ANY_USER,
        api=True,
        method="post",
        data=lambda t: {"kind": "scac", "value": "abcd"},
    ),
]
