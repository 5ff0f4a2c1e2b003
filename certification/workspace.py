"""The case workspace of one member account: which tab opens, the running clocks of the
header, and which actions this state and this role allow (the page shows no control that
can only be refused). The workflow still checks every step; this module only decides
what to offer, from the same transition table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from certification import workflow
from certification.choices import CERTIFIED_STATES, Actor, AppealOutcome, ReportStatus, State

if TYPE_CHECKING:
    from accounts.models import User
    from certification.models import Appeal, Certification, CertificationEvent, ValidationReport

TABS: list[tuple[str, StrOrPromise]] = [
    ("application", _("Application")),
    ("vetting", _("Vetting")),
    ("review", _("Profile review")),
    ("validation", _("Validation")),
    ("enforcement", _("Enforcement & appeals")),
    ("documents", _("Documents")),
    ("history", _("History")),
]
TAB_KEYS = frozenset(key for key, _label in TABS)

# Which tab each transition's control sits on.
STEP_TAB = {
    "start_review": "application",
    "reject": "application",
    "find_ineligible": "application",
    "certify": "review",
    "validate": "validation",
    "suspend": "enforcement",
    "reinstate": "enforcement",
    "remove": "enforcement",
    "apply": "application",
    "withdraw": "application",
}
IN_REVIEW = (State.APPLIED, State.UNDER_REVIEW)
OPEN_CASE = (*IN_REVIEW, State.CERTIFIED, State.VALIDATED, State.SUSPENDED)


def default_tab(certification: Certification) -> str:
    status = certification.status
    if status == State.APPLIED:
        return "application"
    if status == State.UNDER_REVIEW:
        return "review"
    if status in CERTIFIED_STATES:
        return "validation"
    if status in (State.SUSPENDED, State.REMOVED):
        return "enforcement"
    return "history"


def tab_of(request_tab: str | None, certification: Certification) -> str:
    return request_tab if request_tab in TAB_KEYS else default_tab(certification)


@dataclass(frozen=True)
class Clock:
    """One running clock of the case: what is due, when, and how many days are left."""

    key: str
    label: StrOrPromise
    due: datetime.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def at_risk(self) -> bool:
        return 0 <= self.days_left <= 14


def _clock(key: str, label: StrOrPromise, due: datetime.date, today: datetime.date) -> Clock:
    return Clock(key, label, due, (due - today).days)


def clocks(
    certification: Certification,
    reports: list[ValidationReport],
    appeals: list[Appeal],
    events: list[CertificationEvent],
    today: datetime.date | None = None,
) -> list[Clock]:
    """Every clock running on the case, soonest first."""
    today = today or timezone.localdate()
    found: list[Clock] = []
    status = certification.status
    if status in IN_REVIEW and (due := certification.certification_due()):
        found.append(_clock("certification", _("Certify by (90-day SLA)"), due, today))
    if status in CERTIFIED_STATES and (due := certification.validation_due()):
        if certification.last_validated_at:
            found.append(_clock("revalidation", _("Revalidation due (4 years)"), due, today))
        else:
            found.append(_clock("validation", _("Validation due (1 year)"), due, today))
    if due := certification.suspension_response_due():
        if not certification.suspension_response_at:
            found.append(_clock("suspension", _("Suspension response due (90 days)"), due, today))
    for report in reports:
        due = report.response_due()
        if due and report.responded_at is None:
            found.append(_clock("report", _("Member's response to required actions"), due, today))
    for appeal in appeals:
        if appeal.outcome == AppealOutcome.PENDING:
            found.append(
                _clock("appeal", _("Appeal decision due (180 days)"), appeal.decision_due(), today)
            )
    appealed = {a.appealed_event_id for a in appeals}
    latest = next(
        (
            e
            for e in reversed(events)
            if e.transition in workflow.APPEALABLE and e.to_status == status
        ),
        None,
    )
    if latest is not None and latest.pk not in appealed:
        kind, due = workflow.appeal_window(latest)
        if due >= today:
            label = (
                _("Appeal window (30 days)")
                if kind == "false_information"
                else _("Appeal window (90 days)")
            )
            found.append(_clock("appeal_window", label, due, today))
    return sorted(found, key=lambda c: c.due)


@dataclass
class Actions:
    """What this user may do on this case now; every flag is one control on the page."""

    steps: dict[str, list[workflow.Transition]]
    waiting: dict[str, StrOrPromise]  # per tab: the step not offered yet, and why
    assign: bool
    vetting: bool
    override: bool
    review: bool
    plan_validation: bool
    decide_reports: set[int]
    accept_responses: set[int]
    worksheets: set[int]
    decide_appeals: bool
    documents: bool

    def any_step(self, tab: str) -> bool:
        return bool(self.steps.get(tab))


def _not_yet(
    name: str, certification: Certification, reports: list[ValidationReport]
) -> StrOrPromise | None:
    """Why a step the table allows cannot succeed yet (its own conditions), else None.
    The step's button then stays away and the page says what it waits for."""
    if name == "validate":
        applied = certification.applied_at
        pending = [
            r
            for r in reports
            if r.status == ReportStatus.APPROVED
            and r.closed_at is None
            and (applied is None or (r.decided_at is not None and r.decided_at >= applied))
        ]
        if not pending:
            return _("“Close the validation” appears once a supervisor has approved the report.")
        latest = max(pending, key=lambda r: (r.decided_at, r.pk))
        if latest.required_actions and latest.response_accepted_at is None:
            return _(
                "“Close the validation” appears once the member's response to the required "
                "actions is accepted."
            )
    if name == "certify":
        vetting = list(certification.vetting.all())
        if not vetting or not all(v.cleared for v in vetting):
            return _("“Certify” appears once every vetting item is passed or overridden.")
        if certification.criterion_reviews.filter(accepted=False).exists():
            return _("“Certify” appears once no criterion of the profile is rejected.")
    return None


def actions_for(
    certification: Certification, user: User, reports: list[ValidationReport]
) -> Actions:
    office = bool(user.program_role)
    supervisor = user.program_role == Actor.SUPERVISOR
    status = certification.status
    steps: dict[str, list[workflow.Transition]] = {}
    waiting: dict[str, StrOrPromise] = {}
    for transition in workflow.allowed_transitions(certification, user):
        why = _not_yet(transition.name, certification, reports)
        if why:
            waiting[STEP_TAB[transition.name]] = why
            continue
        steps.setdefault(STEP_TAB[transition.name], []).append(transition)
    return Actions(
        steps=steps,
        waiting=waiting,
        assign=office and status in OPEN_CASE and certification.assigned_to_id != user.pk,
        vetting=office and status in IN_REVIEW,
        override=supervisor and status in IN_REVIEW,
        review=office and status in OPEN_CASE,
        plan_validation=office and status in CERTIFIED_STATES,
        decide_reports={
            r.pk
            for r in reports
            if supervisor and r.status == ReportStatus.SUBMITTED and r.drafted_by_id != user.pk
        },
        accept_responses={
            r.pk for r in reports if office and r.responded_at and not r.response_accepted_at
        },
        worksheets={r.pk for r in reports if office},
        decide_appeals=supervisor,
        documents=office and status != State.DRAFT,
    )


def as_context(actions: Actions) -> dict[str, Any]:
    return {"can": actions}
