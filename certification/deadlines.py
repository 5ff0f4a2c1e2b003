"""Every due date of the lifecycle in one list (the deadlines page and the reminders,
`certification/reminders.py`), and `enforce`, which removes the suspended members whose
response window passed (run daily by `ctpat send_reminders` before it reminds).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from certification import workflow
from certification.choices import AppealOutcome, State
from certification.models import Certification, CertificationEvent

LABELS: dict[str, StrOrPromise] = {
    "certification_sla": gettext_lazy("Certification decision (90-day SLA)"),
    "validation": gettext_lazy("Validation"),
    "revalidation": gettext_lazy("Revalidation"),
    "suspension_response": gettext_lazy("Response to the suspension"),
    "appeal_filing": gettext_lazy("Last day to appeal"),
    "appeal_decision": gettext_lazy("Appeal decision"),
    "validation_response": gettext_lazy("Response to the validation's required actions"),
    "annual_review": gettext_lazy("Annual security profile review"),
}
# Listed with the others, but reminded by the security profile's registration
# (profiles.reminders), which knows when the review was done.
LISTED_ONLY = frozenset({"annual_review"})
OFFICE_KINDS = frozenset({"certification_sla", "appeal_decision"})
APPEALABLE = workflow.APPEALABLE


@dataclass(frozen=True)
class Deadline:
    certification: Certification
    kind: str
    due: datetime.date

    @property
    def label(self) -> StrOrPromise:
        return LABELS[self.kind]

    def days_left(self, today: datetime.date) -> int:
        return (self.due - today).days


def with_clocks(certifications: models.QuerySet[Certification]) -> models.QuerySet[Certification]:
    """`certifications` with what `deadlines_of` reads, so a list of any length costs the
    same few queries."""
    decisions = CertificationEvent.objects.filter(transition__in=APPEALABLE).order_by("-created_at")
    return certifications.select_related("company", "assigned_to").prefetch_related(
        Prefetch("events", queryset=decisions.prefetch_related("appeals"), to_attr="decisions"),
        "validation_reports",
        "appeals",
    )


def deadlines_of(certification: Certification, *, annual: bool = True) -> Iterator[Deadline]:
    """The clocks running on one account (from what `with_clocks` fetched, when it did);
    `annual=False` leaves out the annual review, which costs queries of its own."""
    c = certification
    if c.status in (State.APPLIED, State.UNDER_REVIEW) and (due := c.certification_due()):
        yield Deadline(c, "certification_sla", due)
    if c.status in (State.CERTIFIED, State.VALIDATED) and (due := c.validation_due()):
        yield Deadline(c, "revalidation" if c.last_validated_at else "validation", due)
    if annual and c.status in (State.CERTIFIED, State.VALIDATED):
        from profiles.annual import current_cycle

        cycle = current_cycle(c.company)
        if cycle is not None and cycle.status != "done":
            yield Deadline(c, "annual_review", cycle.due_date)
    if due := c.suspension_response_due():
        if not c.suspension_response_at:
            yield Deadline(c, "suspension_response", due)
    decisions = getattr(c, "decisions", None)
    if decisions is None:
        decisions = list(c.events.filter(transition__in=APPEALABLE).order_by("-created_at"))
    decision = decisions[0] if decisions else None
    if decision is not None and not decision.appeals.all():
        yield Deadline(c, "appeal_filing", workflow.appeal_window(decision)[1])
    for report in c.validation_reports.all():
        if report.responded_at is None and report.required_actions:
            if due := report.response_due():
                yield Deadline(c, "validation_response", due)
    for appeal in c.appeals.all():
        if appeal.outcome == AppealOutcome.PENDING:
            yield Deadline(c, "appeal_decision", appeal.decision_due())


def deadlines(
    certifications: Iterable[Certification], today: datetime.date, *, annual: bool = True
) -> list[Deadline]:
    """Every deadline of these accounts that is not yet long past (a week of grace, so a
    missed one stays visible), soonest first; `annual=False` as for `deadlines_of`."""
    found = [
        d
        for c in certifications
        for d in deadlines_of(c, annual=annual)
        if d.kind in OFFICE_KINDS or d.due >= today - datetime.timedelta(days=7)
    ]
    return sorted(found, key=lambda d: (d.due, d.certification.company.legal_name))


def enforce(today: datetime.date) -> int:
    """Remove (as the system) every suspended member whose response window passed without
    a response. Returns how many were removed."""
    removed = 0
    for c in Certification.objects.filter(status=State.SUSPENDED, suspension_response_at=None):
        due = c.suspension_response_due()
        if due is not None and today > due:
            try:
                workflow.perform("remove", c, by=None, reason=_("No response within the window."))
            except workflow.TransitionNotAllowed:
                continue
            removed += 1
    return removed
