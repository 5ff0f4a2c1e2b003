"""The certification lifecycle: one transition table, and the only code that changes a
member account's status.

Read the table `_ROWS` below top to bottom: each line names a transition, the states it
may start from, the state it leads to, who may perform it (company officer, specialist,
supervisor, system) and whether a written reason is required. "prior" means reinstatement
returns to the state and tier the suspension interrupted.

Besides the table, some transitions have conditions of their own, each refused with a
message saying what is missing: a removed company may reapply only a year after removal;
certify needs every vetting item passed (or overridden) and no rejected criterion left
unanswered; validate needs a supervisor-approved validation report; suspend needs a
reason and respects the self-reporting rule; the system removes a suspended member only
after the 90-day response window passed without a response.

Every transition runs in one transaction, locks the certification row, checks the source
state and the actor's role, raises `TransitionNotAllowed` when refused, applies the change
and writes a `CertificationEvent`. Pages and the API call `perform()` and only translate
the exception into a form error or HTTP 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from certification.choices import (
    Actor,
    Outcome,
    ReportStatus,
    State,
    SuspensionReason,
    VettingItem,
)
from certification.models import (
    Certification,
    CertificationEvent,
    CriterionReview,
    ValidationReport,
    VettingCheck,
)
from certification.signals import status_changed
from companies.models import Company
from core.refusals import NotAllowed

if TYPE_CHECKING:
    import datetime

    from accounts.models import User


S = State
A = Actor
PRIOR = "prior"  # reinstatement's target: the state the suspension interrupted


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    who: frozenset[str]
    needs_reason: bool

    @property
    def label(self) -> StrOrPromise:
        return LABELS[self.name]


REASON = True
# fmt: off
_ROWS = [
    # transition         from (any of)                                      to              who                        reason  # noqa: E501
    ("apply",           "draft withdrawn rejected ineligible removed",      "applied",      "officer system",          False),  # noqa: E501
    ("start_review",    "applied",                                          "under_review", "specialist supervisor",   False),  # noqa: E501
    ("certify",         "under_review",                                     "certified",    "specialist supervisor",   False),  # noqa: E501
    ("reject",          "applied under_review",                             "rejected",     "specialist supervisor",   REASON),  # noqa: E501
    ("find_ineligible", "applied under_review",                             "ineligible",   "specialist supervisor",   REASON),  # noqa: E501
    ("validate",        "certified validated",                              "validated",    "specialist supervisor",   False),  # noqa: E501
    ("suspend",         "certified validated",                              "suspended",    "specialist supervisor",   REASON),  # noqa: E501
    ("reinstate",       "suspended",                                        PRIOR,          "supervisor",              REASON),  # noqa: E501
    ("remove",          "certified validated suspended",                    "removed",      "supervisor system",       REASON),  # noqa: E501
    ("withdraw",        "applied under_review certified validated suspended", "withdrawn",  "officer",                 False),  # noqa: E501
]
# fmt: on
TABLE: dict[str, Transition] = {
    name: Transition(name, frozenset(sources.split()), to, frozenset(who.split()), reason)
    for name, sources, to, who, reason in _ROWS
}
LABELS: dict[str, StrOrPromise] = {
    "apply": gettext_lazy("Apply"),
    "start_review": gettext_lazy("Start the review"),
    "certify": gettext_lazy("Certify (tier 1)"),
    "reject": gettext_lazy("Reject"),
    "find_ineligible": gettext_lazy("Find ineligible"),
    "validate": gettext_lazy("Close the validation"),
    "suspend": gettext_lazy("Suspend"),
    "reinstate": gettext_lazy("Reinstate"),
    "remove": gettext_lazy("Remove"),
    "withdraw": gettext_lazy("Withdraw"),
}
# A misspelt state or role in the table fails at start-up, not at the first click.
for _row in TABLE.values():
    assert _row.sources <= set(S.values), _row
    assert _row.target in {*S.values, PRIOR}, _row
    assert _row.who <= set(A.values), _row
assert set(LABELS) == set(TABLE)


class TransitionNotAllowed(NotAllowed):
    """A lifecycle step was refused; the message says why, in the user's language."""

    code = "transition_not_allowed"


def actor_role(certification: Certification, user: User | None) -> str | None:
    """The role `user` acts in on this certification (None: the system; no role: None)."""
    if user is None:
        return A.SYSTEM
    if user.program_role:
        return str(user.program_role)
    if certification.company.role_of(user) == "officer":
        return A.OFFICER
    return None


def allowed_transitions(certification: Certification, user: User | None) -> list[Transition]:
    """The transitions the table lets this user start from the current state (the
    conditions of each transition are checked when it runs)."""
    role = actor_role(certification, user)
    return [t for t in TABLE.values() if certification.status in t.sources and role in t.who]


def perform(
    name: str,
    certification: Certification,
    *,
    by: User | None,
    reason: str = "",
    **details: Any,
) -> Certification:
    """Run the transition `name`; the one entry point pages, the API and tasks use."""
    try:
        transition = TABLE[name]
    except KeyError as exc:
        raise TransitionNotAllowed(
            _("Unknown transition “%(name)s”; expected one of: %(names)s.")
            % {"name": name, "names": ", ".join(TABLE)}
        ) from exc
    reason = reason.strip()
    with transaction.atomic():
        # The row lock makes two concurrent clicks run one after the other; the second
        # then finds the state already changed and is refused.
        locked = (
            Certification.objects.select_for_update()
            .select_related("company")
            .get(pk=certification.pk)
        )
        role = actor_role(locked, by)
        if locked.status not in transition.sources:
            raise TransitionNotAllowed(
                _("“%(transition)s” is not possible while the account is %(state)s.")
                % {"transition": transition.label, "state": locked.get_status_display()}
            )
        if role not in transition.who:
            raise TransitionNotAllowed(
                _("Your role may not perform “%(transition)s”.") % {"transition": transition.label}
            )
        if transition.needs_reason and not reason:
            raise TransitionNotAllowed(
                _("reason: say why (“%(transition)s” needs a reason).")
                % {"transition": transition.label}
            )
        before = locked.status
        now = timezone.now()
        _EFFECTS[name](locked, by, reason, now, details)
        if transition.target != PRIOR:
            locked.status = transition.target
        locked.status_changed_at = now
        locked.save()
        CertificationEvent.objects.create(
            certification=locked,
            transition=name,
            from_status=before,
            to_status=locked.status,
            actor=by,
            actor_role=role or "",
            reason=reason,
        )
        # Monitoring members learn of the change and the public card forgets the old
        # status (receivers write in this transaction; see certification/signals.py).
        status_changed.send(sender=Certification, certification=locked, transition=name)
    certification.refresh_from_db()
    return locked


# What each transition changes besides the status. Each may refuse with TransitionNotAllowed.
Effect = Callable[[Certification, "User | None", str, "datetime.datetime", dict[str, Any]], None]


def _apply(c: Certification, by: User | None, reason: str, now: Any, d: dict[str, Any]) -> None:
    allowed_from = c.reapply_allowed_from()
    if c.status == S.REMOVED and allowed_from and timezone.localdate(now) < allowed_from:
        raise TransitionNotAllowed(
            _("A removed company may apply again from %(date)s, one year after its removal.")
            % {"date": allowed_from.isoformat()}
        )
    c.applied_at = d.get("applied_at") or now
    c.tier = None
    c.certified_at = None
    c.assigned_to = None
    for item in VettingItem.values:
        VettingCheck.objects.update_or_create(
            certification=c,
            item=item,
            defaults={
                "outcome": Outcome.PENDING,
                "note": "",
                "override_by": None,
                "override_reason": "",
                "screening_results": [],
                "list_versions": [],
                "screened_at": None,
            },
        )
    CriterionReview.objects.filter(certification=c).delete()


def _start_review(
    c: Certification, by: User | None, reason: str, now: Any, d: dict[str, Any]
) -> None:
    if c.assigned_to_id is None:
        c.assigned_to = by


def _certify(c: Certification, by: User | None, reason: str, now: Any, d: dict[str, Any]) -> None:
    open_items = [v.get_item_display() for v in c.vetting.all() if not v.cleared]
    if open_items or not c.vetting.exists():
        raise TransitionNotAllowed(
            _("Vetting is not complete; not yet passed: %(items)s.")
            % {"items": ", ".join(map(str, open_items)) or _("every item")}
        )
    rejected = c.criterion_reviews.filter(accepted=False).count()
    if rejected:
        raise TransitionNotAllowed(
            _("%(count)s criteria of the security profile are rejected; accept them first.")
            % {"count": rejected}
        )
    c.certified_at = now
    c.tier = 1


def _decision(c: Certification, by: User | None, reason: str, now: Any, d: dict[str, Any]) -> None:
    c.tier = None


def pending_close_out(c: Certification) -> ValidationReport | None:
    """The approved validation report not yet used to close a validation, if any.

    A report closes one validation: `_validate` stamps its `closed_at`. Reports of an
    earlier membership (approved before the latest application) do not count."""
    reports = c.validation_reports.filter(status=ReportStatus.APPROVED, closed_at__isnull=True)
    if c.applied_at:
        reports = reports.filter(decided_at__gte=c.applied_at)
    return reports.order_by("-decided_at", "-pk").first()


def _validate(c: Certification, by: User | None, reason: str, now: Any, d: dict[str, Any]) -> None:
    report = pending_close_out(c)
    if report is None:
        raise TransitionNotAllowed(
            _("A validation closes once a supervisor has approved its report.")
        )
    if report.required_actions and report.response_accepted_at is None:
        raise TransitionNotAllowed(
            _("The member's response to the required actions must be accepted before close-out.")
        )
    c.tier = report.tier_outcome
    c.last_validated_at = now
    report.closed_at = now
    report.save(update_fields=["closed_at", "updated_at"])


def _suspend(c: Certification, by: User | None, reason: str, now: Any, d: dict[str, Any]) -> None:
    why = d.get("suspension_reason", "")
    if why not in SuspensionReason.values:
        raise TransitionNotAllowed(
            _("suspension_reason: choose one of %(values)s.")
            % {"values": ", ".join(SuspensionReason.values)}
        )
    # Self-reporting rule (domain.md §5.2 item 12): a breach the member reported before CBP
    # found it does not suspend at once; only a joint review that finds no due diligence does.
    if (
        why == SuspensionReason.SECURITY_INCIDENT
        and d.get("self_reported")
        and not d.get("joint_review_failed")
    ):
        raise TransitionNotAllowed(
            _(
                "The member reported this incident itself, so it is not suspended at once: "
                "record the joint review's finding that due diligence was lacking first."
            )
        )
    c.prior_status, c.prior_tier = c.status, c.tier
    c.suspended_at = now
    c.suspension_reason = why
    c.suspension_response = ""
    c.suspension_response_at = None
    c.tier = None


def _reinstate(c: Certification, by: User | None, reason: str, now: Any, d: dict[str, Any]) -> None:
    c.status = c.prior_status or S.CERTIFIED
    c.tier = c.prior_tier
    c.corrective_action_plan = reason
    c.prior_status, c.prior_tier = "", None


def _remove(c: Certification, by: User | None, reason: str, now: Any, d: dict[str, Any]) -> None:
    if by is None:
        due = c.suspension_response_due()
        if due is None or c.suspension_response_at or timezone.localdate(now) <= due:
            raise TransitionNotAllowed(
                _(
                    "The system removes only a suspended member whose response window passed "
                    "without a response."
                )
            )
    c.removed_at = now
    c.tier = None


_EFFECTS: dict[str, Effect] = {
    "apply": _apply,
    "start_review": _start_review,
    "certify": _certify,
    "reject": _decision,
    "find_ineligible": _decision,
    "validate": _validate,
    "suspend": _suspend,
    "reinstate": _reinstate,
    "remove": _remove,
    "withdraw": _decision,
}
assert set(_EFFECTS) == set(TABLE)


# Entry points for other apps.


def certification_for(company: Company) -> Certification:
    """The company's certification record, created in draft the first time."""
    certification, _created = Certification.objects.get_or_create(company=company)
    return certification


def application_submitted(company: Company, *, by: User | None) -> Certification:
    """Called when the officer's signature submits the application: the account applies.

    A second call (a retried submission) changes nothing.
    """
    certification = certification_for(company)
    if certification.status != S.DRAFT:
        return certification
    application = company.current_application()
    submitted_at = getattr(application, "submitted_at", None)
    try:
        return perform("apply", certification, by=by, applied_at=submitted_at)
    except TransitionNotAllowed:
        certification.refresh_from_db()
        if certification.status == S.APPLIED:
            return certification
        raise


def sync_submitted_applications() -> int:
    """Bring every submitted application into the review queue (as the system), for
    applications submitted before the lifecycle existed or through another path.
    Returns how many accounts moved to "applied"."""
    try:
        application_model = apps.get_model("applications", "Application")
    except LookupError:
        return 0
    waiting = application_model.objects.filter(status="submitted").exclude(
        company__certification__status__in=[s for s in S.values if s != S.DRAFT]
    )
    moved = 0
    for application in waiting.select_related("company"):
        application_submitted(application.company, by=None)
        moved += 1
    return moved


def certification_anniversary(company: Company) -> datetime.date | None:
    """The date the annual security-profile review recurs on: the certification date,
    or None while the company is not certified."""
    certified_at = (
        Certification.objects.filter(company=company).values_list("certified_at", flat=True).first()
    )
    return timezone.localdate(certified_at) if certified_at else None
