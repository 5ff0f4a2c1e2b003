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

from certification import clocks
from certification.choices import (
    Actor,
    AppealKind,
    AppealOutcome,
    Finding,
    Observation,
    Outcome,
    ReportStatus,
    State,
    SuspensionReason,
    VettingItem,
)
from certification.models import (
    Appeal,
    Certification,
    CertificationEvent,
    CriterionReview,
    ValidationReport,
    VettingCheck,
    WorksheetEntry,
)
from companies.models import Company

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


class TransitionNotAllowed(Exception):
    """A lifecycle step was refused; the message says why, in the user's language."""


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
        # Monitoring partners learn of the change (notice rows in this transaction).
        from verification.workflow import status_changed

        status_changed(locked)
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
    """The approved validation report not yet used to close a validation, if any."""
    since = c.last_validated_at or c.certified_at
    reports = c.validation_reports.filter(status=ReportStatus.APPROVED)
    if since:
        reports = reports.filter(decided_at__gt=since)
    return reports.order_by("-decided_at").first()


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


# Review verbs. They do not change the status; they record what the transitions check.


def _require(ok: bool, message: StrOrPromise) -> None:
    if not ok:
        raise TransitionNotAllowed(str(message))


def _is_program_office(user: User) -> bool:
    return bool(user.program_role)


def assign(certification: Certification, specialist: User, *, by: User) -> Certification:
    _require(_is_program_office(by), _("Only the program office assigns reviews."))
    _require(_is_program_office(specialist), _("assigned_to: choose a program-office user."))
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        locked.assigned_to = specialist
        locked.save(update_fields=["assigned_to", "updated_at"])
    return locked


def record_vetting(
    certification: Certification, item: str, outcome: str, *, by: User, note: str = ""
) -> VettingCheck:
    _require(_is_program_office(by), _("Only the program office records vetting."))
    _require(
        item in VettingItem.values, _("item: choose one of %s.") % ", ".join(VettingItem.values)
    )
    _require(outcome in Outcome.values, _("outcome: choose one of %s.") % ", ".join(Outcome.values))
    _require(
        certification.status in (S.APPLIED, S.UNDER_REVIEW),
        _("Vetting is recorded while the application is under review."),
    )
    if item == VettingItem.LIST_SCREENING and outcome != Outcome.PENDING:
        screened = VettingCheck.objects.filter(
            certification=certification, item=item, screened_at__isnull=False
        ).exists()
        _require(
            screened,
            _("Run the list screening first; its hits are the evidence for the outcome."),
        )
    check, _created = VettingCheck.objects.update_or_create(
        certification=certification,
        item=item,
        defaults={"outcome": outcome, "note": note.strip(), "checked_by": by},
    )
    return check


SCREENING_TOP_HITS = 3


def vetting_names(company: Company) -> list[tuple[str, str, str]]:
    """(role, name, entity type) of every name the list screening covers: the legal
    name, the DBA and parent company, and the officers and senior managers named as
    contacts."""
    from companies.models import ContactKind

    names = [(_("Legal name"), company.legal_name, "organization")]
    if company.dba:
        names.append((_("Doing business as"), company.dba, "organization"))
    if company.parent_company:
        names.append((_("Parent company"), company.parent_company, "organization"))
    people = company.contacts.filter(
        kind__in=[ContactKind.OFFICER, ContactKind.SENIOR_MANAGEMENT]
    ).order_by("name")
    names += [(str(c.get_kind_display()), c.name, "person") for c in people]
    return names


def screen_for_vetting(certification: Certification, *, by: User) -> VettingCheck:
    """Run the company's names through the screening engine against the active list
    versions and store the hits (with explanations where a hit alerts) and the versions
    on the list-screening check. The outcome stays the specialist's to record."""
    from partners.workflow import versions_json
    from screening.index import active_index
    from screening.search import hit_to_dict
    from screening_engine import DEFAULT_THRESHOLD

    _require(_is_program_office(by), _("Only the program office records vetting."))
    _require(
        certification.status in (S.APPLIED, S.UNDER_REVIEW),
        _("Vetting is recorded while the application is under review."),
    )
    index, versions = active_index()
    country = certification.company.country.code or None
    results = []
    for role, name, kind in vetting_names(certification.company):
        hits = index.search(
            name,
            country=country if kind == "organization" else None,
            top=SCREENING_TOP_HITS,
            min_score=0.0,
        )
        results.append(
            {
                "role": role,
                "name": name,
                "hits": [hit_to_dict(h, DEFAULT_THRESHOLD) for h in hits],
            }
        )
    with transaction.atomic():
        check, _created = VettingCheck.objects.select_for_update().get_or_create(
            certification=certification, item=VettingItem.LIST_SCREENING
        )
        check.screening_results = results
        check.list_versions = versions_json(versions) or [
            {"id": None, "source": "files", "list_date": "", "sha256": ""}
        ]
        check.screened_at = timezone.now()
        check.checked_by = by
        check.save()
    return check


def override_vetting(check: VettingCheck, *, by: User, reason: str) -> VettingCheck:
    _require(by.program_role == A.SUPERVISOR, _("Only a supervisor may override vetting."))
    _require(bool(reason.strip()), _("override_reason: say why the item is overridden."))
    check.override_by = by
    check.override_reason = reason.strip()
    check.save(update_fields=["override_by", "override_reason", "updated_at"])
    return check


def review_criterion(
    certification: Certification, criterion: Any, *, accepted: bool, by: User, comment: str = ""
) -> CriterionReview:
    """Accept a criterion of the security profile, or reject it with a comment the member
    will see and answer."""
    _require(_is_program_office(by), _("Only the program office reviews the profile."))
    _require(
        accepted or bool(comment.strip()),
        _("comment: say what the member must change when rejecting a criterion."),
    )
    defaults: dict[str, Any] = {
        "accepted": accepted,
        "comment": comment.strip(),
        "reviewer": by,
        "reviewed_at": timezone.now(),
    }
    if not accepted:
        # A new rejection opens a new round: the member answers it afresh.
        defaults.update(member_response="", responded_at=None)
    review, _created = CriterionReview.objects.update_or_create(
        certification=certification, criterion=criterion, defaults=defaults
    )
    return review


def _member_editor(certification: Certification, user: User) -> bool:
    from core.tenancy import roles_allowing

    return certification.company.role_of(user) in roles_allowing("edit")


def save_criterion_note(review: CriterionReview, *, by: User, note: str) -> CriterionReview:
    """The member drafts the answer to one rejected criterion; nothing reaches the
    specialist until `send_profile_response`."""
    _require(
        _member_editor(review.certification, by),
        _("Only the member's editors answer a rejected criterion."),
    )
    _require(not review.accepted, _("This criterion was accepted; there is nothing to answer."))
    _require(
        review.responded_at is None,
        _("The response on %(ref)s was already sent; wait for the specialist's re-review.")
        % {"ref": review.criterion.ref_id},
    )
    review.member_response = note.strip()
    review.save(update_fields=["member_response", "updated_at"])
    return review


def send_profile_response(certification: Certification, *, by: User) -> int:
    """Send the member's answers to every open rejection back to the specialist at once.
    Refused, naming the criteria, while any rejected criterion has no note. Returns how
    many answers were sent."""
    _require(
        _member_editor(certification, by),
        _("Only the member's editors send the response."),
    )
    with transaction.atomic():
        open_reviews = list(
            CriterionReview.objects.select_for_update()
            .filter(certification=certification, accepted=False, responded_at=None)
            .select_related("criterion")
        )
        _require(bool(open_reviews), _("No rejected criterion is waiting for an answer."))
        missing = [r.criterion.ref_id for r in open_reviews if not r.member_response.strip()]
        _require(
            not missing,
            _("Answer every rejected criterion before sending; still without a note: %(refs)s.")
            % {"refs": ", ".join(missing)},
        )
        now = timezone.now()
        for review in open_reviews:  # one save each, so the audit trail records every answer
            review.responded_at = now
            review.save(update_fields=["responded_at", "updated_at"])
    return len(open_reviews)


def respond_to_criterion(review: CriterionReview, *, by: User, response: str) -> CriterionReview:
    _require(
        actor_role(review.certification, by) == A.OFFICER
        or review.certification.company.role_of(by) in ("admin", "user", "consultant"),
        _("Only the member answers a rejected criterion."),
    )
    _require(not review.accepted, _("This criterion was accepted; there is nothing to answer."))
    _require(bool(response.strip()), _("response: say what was changed."))
    review.member_response = response.strip()
    review.responded_at = timezone.now()
    review.save(update_fields=["member_response", "responded_at", "updated_at"])
    return review


def worksheet_criteria(report: ValidationReport) -> Any:
    """The MSC criteria of the member's business type in the catalogue in force, in
    catalogue order (empty when no catalogue is published)."""
    from catalogue.models import Catalogue, Criterion

    catalogue = Catalogue.objects.latest_published()
    if catalogue is None:
        return Criterion.objects.none()
    business_type = report.certification.company.business_type
    return catalogue.criteria_for(business_type).order_by("category_number", "sequence")


def _report_editable(report: ValidationReport) -> bool:
    return report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


def record_worksheet_entry(
    report: ValidationReport,
    criterion: Any,
    *,
    by: User,
    observation: str,
    finding: str = Finding.NONE,
    note: str = "",
) -> WorksheetEntry:
    """Record what the validation team saw of one criterion; a finding needs a note that
    tells the member what to do."""
    _require(_is_program_office(by), _("Only the program office fills the worksheet."))
    _require(
        _report_editable(report),
        _("The worksheet is locked while the report awaits or has its supervisor's decision."),
    )
    _require(
        observation in Observation.values,
        _("observation: choose one of %s.") % ", ".join(Observation.values),
    )
    _require(finding in Finding.values, _("finding: choose one of %s.") % ", ".join(Finding.values))
    _require(
        worksheet_criteria(report).filter(pk=criterion.pk).exists(),
        _("criterion: %(ref)s does not apply to this member's business type.")
        % {"ref": criterion.ref_id},
    )
    _require(
        finding == Finding.NONE or bool(note.strip()),
        _("note: %(ref)s has a finding; say what the member must do.") % {"ref": criterion.ref_id},
    )
    entry, _created = WorksheetEntry.objects.update_or_create(
        report=report,
        criterion=criterion,
        defaults={
            "observation": observation,
            "finding": finding,
            "note": note.strip(),
            "recorded_by": by,
        },
    )
    return entry


def worksheet_findings(report: ValidationReport, finding: str) -> str:
    """The worksheet's findings of one kind as the report states them, one per line."""
    entries = report.worksheet.filter(finding=finding).select_related("criterion")
    return "\n".join(f"{e.criterion.ref_id}: {e.note}" for e in entries)


def submit_report(report: ValidationReport, *, by: User) -> ValidationReport:
    """The author sends the report to a supervisor. When a worksheet was filled, its
    required actions and recommendations become the report's findings."""
    _require(report.drafted_by_id == by.pk, _("Only the report's author submits it."))
    _require(
        _report_editable(report),
        _("This report was already submitted."),
    )
    _require(
        report.tier_outcome in (2, 3), _("tier_outcome: a validation ends in tier 2 or tier 3.")
    )
    _require(
        report.tier_outcome != 3 or report.certification.company.business_type == "importer",
        _("tier_outcome: tier 3 is for importers that exceed the minimum security criteria."),
    )
    if report.worksheet.exists():
        report.required_actions = worksheet_findings(report, Finding.REQUIRED_ACTION)
        report.recommendations = worksheet_findings(report, Finding.RECOMMENDATION)
    report.status = ReportStatus.SUBMITTED
    report.save(update_fields=["status", "required_actions", "recommendations", "updated_at"])
    return report


def decide_report(
    report: ValidationReport, *, by: User, approve: bool, note: str = ""
) -> ValidationReport:
    """A supervisor approves or returns a submitted report; never their own (maker-checker)."""
    _require(by.program_role == A.SUPERVISOR, _("Only a supervisor approves validation reports."))
    _require(report.drafted_by_id != by.pk, _("The author of a report cannot approve it."))
    with transaction.atomic():
        locked = ValidationReport.objects.select_for_update().get(pk=report.pk)
        _require(
            locked.status == ReportStatus.SUBMITTED, _("Only a submitted report can be decided.")
        )
        _require(approve or bool(note.strip()), _("note: say what the specialist must change."))
        locked.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = note.strip()
        locked.save()
    return locked


def respond_to_report(report: ValidationReport, *, by: User, response: str) -> ValidationReport:
    """The member answers the required actions of an approved report, before its due date."""
    _require(
        report.certification.company.role_of(by) in ("officer", "admin"),
        _("Only the company officer or an administrator answers the report."),
    )
    due = report.response_due()
    _require(due is not None, _("This report asks for no response."))
    _require(
        timezone.localdate() <= due,  # type: ignore[operator]
        _("The response window closed on %(date)s.") % {"date": due},
    )
    _require(report.response_accepted_at is None, _("The response was already accepted."))
    _require(bool(response.strip()), _("response: describe how each required action was met."))
    report.member_response = response.strip()
    report.responded_at = timezone.now()
    report.save(update_fields=["member_response", "responded_at", "updated_at"])
    return report


def accept_report_response(report: ValidationReport, *, by: User) -> ValidationReport:
    _require(_is_program_office(by), _("Only the program office accepts the response."))
    _require(bool(report.responded_at), _("The member has not responded yet."))
    report.response_accepted_at = timezone.now()
    report.save(update_fields=["response_accepted_at", "updated_at"])
    return report


def respond_to_suspension(
    certification: Certification, *, by: User, response: str
) -> Certification:
    _require(actor_role(certification, by) == A.OFFICER, _("Only the company officer responds."))
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        due = locked.suspension_response_due()
        _require(due is not None, _("The account is not suspended."))
        _require(
            timezone.localdate() <= due,  # type: ignore[operator]
            _("The response window closed on %(date)s.") % {"date": due},
        )
        _require(bool(response.strip()), _("response: describe the corrective actions."))
        locked.suspension_response = response.strip()
        locked.suspension_response_at = timezone.now()
        locked.save(update_fields=["suspension_response", "suspension_response_at", "updated_at"])
    return locked


APPEALABLE = ("suspend", "remove", "reject", "find_ineligible")


def appeal_window(event: CertificationEvent) -> tuple[str, datetime.date]:
    """The kind of appeal a decision allows and the last day to file it: 30 days after a
    suspension or removal for false information, 90 days after any other (6 U.S.C. 967)."""
    false_info = (
        event.transition in ("suspend", "remove")
        and event.certification.suspension_reason == SuspensionReason.FALSE_INFORMATION
    )
    kind = AppealKind.FALSE_INFORMATION if false_info else AppealKind.BENEFIT_DENIAL
    return kind, clocks.appeal_filing_deadline(kind, timezone.localdate(event.created_at))


def file_appeal(event: CertificationEvent, *, by: User, grounds: str) -> Appeal:
    """The officer appeals a decision: within 30 days when it was for false information,
    otherwise within 90 days (6 U.S.C. 967)."""
    certification = event.certification
    _require(actor_role(certification, by) == A.OFFICER, _("Only the company officer appeals."))
    _require(
        event.transition in APPEALABLE, _("This event is not a decision that can be appealed.")
    )
    _require(bool(grounds.strip()), _("grounds: say why the decision should change."))
    kind, deadline = appeal_window(event)
    _require(
        timezone.localdate() <= deadline,
        _("The appeal window closed on %(date)s.") % {"date": deadline.isoformat()},
    )
    with transaction.atomic():
        existing = Appeal.objects.select_for_update().filter(appealed_event=event).first()
        if existing is not None:
            return existing
        return Appeal.objects.create(
            certification=certification,
            appealed_event=event,
            kind=kind,
            grounds=grounds.strip(),
            filed_by=by,
            filed_at=timezone.now(),
        )


def decide_appeal(appeal: Appeal, *, by: User, reverse: bool, note: str = "") -> Appeal:
    """A supervisor decides; reversing a suspension reinstates the member."""
    _require(by.program_role == A.SUPERVISOR, _("Only a supervisor decides appeals."))
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        _require(locked.outcome == AppealOutcome.PENDING, _("This appeal was already decided."))
        locked.outcome = AppealOutcome.REVERSED if reverse else AppealOutcome.UPHELD
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save()
        certification = locked.certification
        if reverse and certification.status == S.SUSPENDED:
            perform(
                "reinstate",
                certification,
                by=by,
                reason=note or _("Appeal granted."),
            )
    return locked
