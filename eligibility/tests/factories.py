"""Answer sheets and a language guard for tests."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from eligibility.models import EligibilityCheck
from eligibility.workflow import applicable_questions


def all_met(
    business_type: str = "importer", subtype: str = "", country: str = "US"
) -> dict[str, str]:
    """The qualifying answer to every question the profile is asked."""
    return {
        q.id: q.qualifying_answer for q in applicable_questions(business_type, subtype, country)
    }


def make_check(company: Any, user: Any = None, **fields: Any) -> EligibilityCheck:
    values: dict[str, Any] = {
        "business_type": company.business_type,
        "business_subtype": company.business_subtype,
        "country": company.country.code,
        "questions_version": "test",
        "qualifies": True,
        "created_by": user,
    }
    values.update(fields)
    values.setdefault(
        "answers", all_met(values["business_type"], values["business_subtype"], values["country"])
    )
    return EligibilityCheck.objects.create(company=company, **values)


class DefaultLanguage:
    """Mixin for test cases: start in the default language and leave it so. A request with
    Accept-Language: es leaves Spanish active in the thread after the response, which
    would otherwise change the language of the tests that run next."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        translation.deactivate()
        self.addCleanup(translation.deactivate)  # type: ignore[attr-defined]
