"""The security profile in the reminder registry (`core.reminders`).

- annual review: from the day its window opens until it is done, it waits on the
  company's officers and administrators; reminded 90, 60, 30, 14, 7 and 1 days before the
  due date and once overdue (`profiles.annual`);
- evidence expiry: from 30 days before a document expires, it waits on the answer's owner
  (or the officers and administrators when it has none); reminded 30 and 7 days before
  and once expired (up to 30 days after);
- criteria to answer, on the company's current profile (the newest catalogue version it
  moved to), applicable to its business type: an unanswered criterion with an owner
  waits on that owner, one task per criterion, with its due date if it has one (reminded
  7 and 1 days before and once overdue, up to 30 days after; without a date it is
  listed only); the unanswered criteria nobody owns make ONE task per profile for the
  officers and administrators ("Answer 96 criteria"), linked to the answer grid filtered
  to them — listed, never e-mailed (the home and the task list show it; 96 tasks or
  e-mails would drown everything else).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Exists, F, Min, OuterRef, QuerySet
from django.urls import reverse, reverse_lazy
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from companies.models import Company
from core import reminders
from core.reminders import Scope, Task
from profiles import annual
from profiles.choices import ResponseStatus
from profiles.models import Evidence, Response, SecurityProfile

ANNUAL_REVIEW = "annual_review"
EVIDENCE_EXPIRY = "evidence_expiry"
CRITERION_ANSWER = "criterion_answer"
CRITERIA_UNANSWERED = "criteria_unanswered"
EXPIRY_DAYS = (30, 7)
# Evidence that expired longer ago than this gets no reminder (e.g. on a first run).
EXPIRED_LOOKBACK_DAYS = 30


def annual_reviews(scope: Scope) -> Iterator[Task]:
    companies = scope.companies(Company.objects.all(), "pk")
    if scope.personal:  # the review waits on the officers and administrators only
        companies = companies.filter(pk__in=scope.managed)
    for company, cycle in annual.cycles(companies, scope.today):
        if not cycle.accepts_review:
            continue
        for email in scope.managers(company.pk):
            yield Task(
                ANNUAL_REVIEW,
                f"{company.pk}:{cycle.due_date}",
                company.pk,
                email,
                cycle.due_date,
                format_lazy("{}: {}", _("Annual security profile review"), company.legal_name),
                reverse("profiles:annual-review", args=[company.pk]),
            )


def expiring_evidence(scope: Scope) -> Iterator[Task]:
    horizon = scope.today + datetime.timedelta(days=max(EXPIRY_DAYS))
    company = "response__profile__company"
    rows = scope.first(
        scope.companies(Evidence.objects.expiring(horizon), company).filter(
            scope.waiting_on_user("response__owner", company)
        ),
        "expires_on",
        "pk",
    ).values_list(
        "pk", "title", "expires_on", "response__criterion_id", f"{company}_id",
        "response__owner__email",
    )  # fmt: skip
    for pk, title, expires_on, criterion_id, company_id, owner in rows:
        for email in scope.people(company_id, owner):
            yield Task(
                EVIDENCE_EXPIRY,
                f"{pk}:{expires_on}",
                company_id,
                email,
                expires_on,
                format_lazy("{}: {}", _("Evidence to renew"), title),
                reverse_lazy("profiles:response-edit", args=[company_id, criterion_id]),
            )


def _unanswered(scope: Scope) -> QuerySet[Response]:
    """The unanswered answers of each company's current profile that apply to its
    business type, in the scope."""
    newer = SecurityProfile.objects.filter(
        company_id=OuterRef("profile__company_id"),
        catalogue__effective_date__gt=OuterRef("profile__catalogue__effective_date"),
    )
    return (
        scope.companies(
            Response.objects.filter(status=ResponseStatus.UNANSWERED), "profile__company"
        )
        .filter(
            criterion__applicabilities__business_type=F("profile__company__business_type"),
        )
        .filter(~Exists(newer))
    )


def criteria_to_answer(scope: Scope) -> Iterator[Task]:
    """Each unanswered criterion that has an owner, for that owner."""
    rows = _unanswered(scope).filter(owner__isnull=False)
    if scope.personal:
        rows = rows.filter(owner_id=scope.user.pk)
    rows = rows.order_by(F("due_date").asc(nulls_last=True), "pk")
    if scope.limit is not None:
        rows = rows[: scope.limit]
    for pk, company_id, criterion_id, ref, due, owner in rows.values_list(
        "pk", "profile__company_id", "criterion_id", "criterion__ref_id", "due_date",
        "owner__email",
    ):  # fmt: skip
        yield Task(
            CRITERION_ANSWER,
            f"{pk}:{due or 'none'}",
            company_id,
            owner.lower(),
            due,
            format_lazy("{}: {}", _("Answer criterion"), ref),
            reverse_lazy("profiles:response-edit", args=[company_id, criterion_id]),
            open_ended=due is None,
        )


def _answer_title(n: int) -> str:
    # Translated when shown (ngettext_lazy's % would translate at once, in the language
    # of the daily run rather than the reader's).
    return lazy(
        lambda: ngettext("Answer %(n)d criterion", "Answer %(n)d criteria", n) % {"n": n}, str
    )()


def unowned_criteria(scope: Scope) -> Iterator[Task]:
    """One task per current profile with unanswered criteria nobody owns, for the
    company's officers and administrators."""
    rows = _unanswered(scope).filter(owner__isnull=True)
    if scope.personal:
        rows = rows.filter(profile__company_id__in=scope.managed)
    counted = (
        rows.order_by()
        .values_list("profile_id", "profile__company_id")
        .annotate(n=Count("pk"), due=Min("due_date"))
        .values_list("profile_id", "profile__company_id", "n", "due")
    )
    for profile_id, company_id, n, due in counted:
        for email in scope.managers(company_id):
            yield Task(
                CRITERIA_UNANSWERED,
                f"{profile_id}:{due or 'none'}",
                company_id,
                email,
                due,
                _answer_title(n),
                format_lazy(
                    "{}?status=unanswered&owner=none",
                    reverse_lazy("profiles:response-grid", args=[company_id]),
                ),
                open_ended=due is None,
            )


def register() -> None:
    reminders.register(ANNUAL_REVIEW, annual_reviews, stages=annual.REMINDER_DAYS)
    reminders.register(
        EVIDENCE_EXPIRY, expiring_evidence, stages=EXPIRY_DAYS, overdue_for=EXPIRED_LOOKBACK_DAYS
    )
    reminders.register(CRITERION_ANSWER, criteria_to_answer, stages=(7, 1), overdue_for=30)
    reminders.register(CRITERIA_UNANSWERED, unowned_criteria, stages=(), email=False)
