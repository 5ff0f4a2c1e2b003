"""The lifecycle's clocks in the reminder registry (`core.reminders`); `ctpat
send_reminders` first removes the suspended members whose response window passed
(`deadlines.enforce`), then reminds.

Who a clock waits on: the member's officers and administrators for what the member must
do (validation and revalidation readiness, suspension response, appeal window, answer to
the validation's required actions; the link opens the member's status page); the assigned
specialist (or every supervisor while none is assigned) for what the program office must
do (certification SLA, appeal decisions; the link opens the account). Reminded 30, 7 and
1 days before and once overdue.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy

from certification.choices import State
from certification.deadlines import LISTED_ONLY, OFFICE_KINDS, deadlines, enforce, with_clocks
from certification.models import Certification
from core import reminders
from core.reminders import Scope, Task

KIND = "certification_deadline"
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


def register() -> None:
    reminders.register(KIND, clocks, stages=STAGES)
    reminders.register_daily_step(enforce)
