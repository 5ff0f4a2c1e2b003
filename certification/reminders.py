"""The lifecycle's clocks in the reminder registry (`core.reminders`); `ctpat
send_reminders` first removes the suspended members whose response window passed
(`deadlines.enforce`), then reminds.

Who a clock waits on: the member's officers and administrators for what the member must
do (validation and revalidation readiness, suspension response, appeal window, answer to
the validation's required actions; the link opens the member's status page); the assigned
specialist (or every supervisor while none is assigned) for what the program office must
do (certification SLA, appeal decisions; the link opens the account). Reminded 30, 7 and
1 days before and once overdue.

`criterion_rejected`: a criterion of the security profile the specialist rejected and the
member has not answered yet (`CriterionReview.awaiting_member`) waits on the answer's
owner, else on the officers and administrators; one task per criterion (they are few),
due now, linked to its row on the profile-review page. Listed only: the rejection itself
was told by a notice and its e-mail (`certification.notices`).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from certification.choices import State
from certification.deadlines import LISTED_ONLY, OFFICE_KINDS, deadlines, enforce, with_clocks
from certification.models import Certification, CriterionReview
from core import reminders
from core.reminders import Scope, Task
from profiles.models import Response

KIND = "certification_deadline"
REJECTED = "criterion_rejected"
STAGES = (30, 7, 1)
CLOSED = Q(
    status__in=[State.DRAFT, State.REMOVED, State.WITHDRAWN, State.REJECTED, State.INELIGIBLE]
)


def clocks(scope: Scope) -> Iterator[Task]:
    """The registry's provider: each running clock, once per person it waits on. For a
    program-office user it also answers the office's clocks of every account assigned to
    them (and, for a supervisor, of every account assigned to nobody)."""
    active = Certification.objects.exclude(CLOSED)
    wanted = Q(company__in=scope.company_ids) if scope.company_ids is not None else Q()
    if scope.personal:  # a member's clocks wait on its officers and administrators only
        wanted = Q(company__in=scope.managed)
    office = scope.company_ids is None
    user = scope.user
    role: str = getattr(user, "program_role", None) or ""
    if role:
        office = True
        mine = Q(assigned_to=user)
        if role == "supervisor":
            mine |= Q(assigned_to__isnull=True)
        wanted |= mine
    accounts = with_clocks(active.filter(wanted))
    # The annual review is the profile's own kind (LISTED_ONLY): not read here, since it
    # costs queries per account.
    for deadline in deadlines(accounts, scope.today, annual=False):
        c = deadline.certification
        if deadline.kind in LISTED_ONLY:
            continue
        if deadline.kind in OFFICE_KINDS:
            if not office:
                continue
            people = [c.assigned_to.email.lower()] if c.assigned_to else scope.supervisors()
            url = c.get_absolute_url()
        else:
            if not scope.covers(c.company_id):
                continue
            people = scope.managers(c.company_id)
            url = reverse("certification_member:status", args=[c.company_id])
        for email in people:
            yield Task(
                KIND,
                f"{c.pk}:{deadline.kind}:{deadline.due}",
                c.company_id,
                email,
                deadline.due,
                format_lazy("{}: {}", deadline.label, c.company.legal_name),
                url,
            )


def rejected_criteria(scope: Scope) -> Iterator[Task]:
    company = "certification__company"
    answer = Response.objects.filter(
        profile__company_id=OuterRef("certification__company_id"),
        criterion_id=OuterRef("criterion_id"),
    ).order_by()
    rows = (
        scope.companies(
            CriterionReview.objects.filter(accepted=False, responded_at__isnull=True), company
        )
        .exclude(certification__in=Certification.objects.filter(CLOSED))
        .annotate(
            owner_id=Subquery(answer.values("owner_id")[:1]),
            owner_email=Subquery(answer.values("owner__email")[:1]),
        )
        .filter(scope.waiting_on_user("owner_id", company))
    )
    found: list[tuple[int, int, str, str | None]] = list(
        scope.first(rows, "reviewed_at", "pk").values_list(
            "pk", f"{company}_id", "criterion__ref_id", "owner_email"
        )
    )
    for pk, company_id, ref, owner in found:
        url = reverse("certification_member:profile-review", args=[company_id])
        for email in scope.people(company_id, owner):
            yield Task(
                REJECTED,
                str(pk),
                company_id,
                email,
                None,
                format_lazy("{}: {}", _("Answer the rejected criterion"), ref),
                f"{url}#review-{pk}",
            )


def register() -> None:
    reminders.register(KIND, clocks, stages=STAGES)
    reminders.register(REJECTED, rejected_criteria, stages=(), email=False)
    reminders.register_daily_step(enforce)
