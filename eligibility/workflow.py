"""Running an eligibility check: validate the profile and the answers, judge them, store
the result. The wizard and the API both call `run_check`."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from companies.models import Company
from eligibility.models import EligibilityCheck
from eligibility.questions import Question, clean_answers, evaluate, load_questions


def clean_profile(business_type: str, subtype: str, country: str) -> None:
    """Raise a ValidationError naming the field when the business type, sub-type or country
    is not one a company could have (the same rules as the company form)."""
    probe = Company(business_type=business_type, business_subtype=subtype or "", country=country)
    fields = {"business_type", "business_subtype", "country"}
    exclude = [f.name for f in Company._meta.fields if f.name not in fields]
    probe.clean_fields(exclude=exclude)
    probe.clean()


def applicable_questions(business_type: str, subtype: str, country: str) -> list[Question]:
    return load_questions().applicable(business_type, subtype or "", country)


def run_check(
    company: Company,
    user: Any,
    *,
    answers: Any,
    business_type: str | None = None,
    subtype: str | None = None,
    country: str | None = None,
) -> EligibilityCheck:
    """Judge `answers` for the company (or for the given type, sub-type and country) and
    store the result. Raises ValidationError naming the field at fault; stores nothing then."""
    business_type = business_type if business_type is not None else company.business_type
    subtype = subtype if subtype is not None else company.business_subtype
    country = country if country is not None else company.country.code
    clean_profile(business_type, subtype, country)
    questions = applicable_questions(business_type, subtype, country)
    cleaned = clean_answers(questions, answers)
    outcome = evaluate(questions, cleaned)
    with transaction.atomic():
        return EligibilityCheck.objects.create(
            company=company,
            business_type=business_type,
            business_subtype=subtype,
            country=country,
            questions_version=load_questions().version,
            answers=cleaned,
            qualifies=outcome.qualifies,
            disqualified_ids=outcome.disqualified_ids,
            concern_ids=outcome.concern_ids,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
