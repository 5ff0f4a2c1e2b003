"""What each person sees on signing in (the home page, `portal.views.home`).

- company officer, administrator, user: the program path (eligibility → application →
  profile → review → certified tier → validation → annual review) with the current step,
  what blocks the next one and a link to the page that resolves it; readiness; my tasks;
- viewer: status and readiness;
- consultant: a portfolio of every client (status, tier, readiness, next due date,
  overdue count, open alerts);
- program office: what waits on the person (their open cases, applications nobody took,
  members' answers to rejected criteria, reports and appeals to decide, their next
  clocks), with links to the queue and the dashboard;
- field staff (a company user whose employee record holds a field security role: guard,
  driver, inspector, seal custodian, dock): start an inspection, today's seals, recent
  inspections.

Each builder reads in a fixed number of queries, whatever the number of partners,
inspections or clients (`portal/tests/test_homes.py` pins them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from actions.models import CorrectiveAction
from applications.models import Application
from certification.choices import CERTIFIED_STATES, AppealOutcome, ReportStatus, State
from certification.models import Appeal, Certification, CriterionReview, ValidationReport
from companies.models import Company, Membership
from core import reminders
from eligibility.models import EligibilityCheck
from inspections.checklists import builtin
from inspections.models import Inspection
from partners.models import OPEN_STATUSES, PartnerScreening
from personnel.models import Employee
from profiles.annual import current_cycle
from profiles.choices import ResponseStatus
from profiles.models import Response, SecurityProfile, Submission
from profiles.readiness import SHARES, WEIGHTS, percent
from seals.models import SealEvent

# Security roles (training/data/programme.toml codes) whose holders work in the yard, the
# gate or the truck: their home is the field page.
FIELD_ROLES = frozenset({"guard", "driver", "inspector", "seal_custodian", "dock"})


# -- who sees which home ---------------------------------------------------------------


def home_kind(user: Any, roles: dict[int, str]) -> str:
    """ "program_office", "consultant", "field", "member", "viewer" or "none"."""
    if getattr(user, "is_program_office", False):
        return "program_office"
    if not roles:
        return "none"
    values = set(roles.values())
    if values & {"officer", "admin"}:
        return "member"
    if "consultant" in values and len(roles) > 1:
        return "consultant"
    if "user" in values and field_company(user, roles) is not None:
        return "field"
    if values <= {"viewer"}:
        return "viewer"
    if values == {"consultant"}:
        return "consultant"
    return "member"


def field_company(user: Any, roles: dict[int, str]) -> int | None:
    """The company where the user works in a field role (as a company user)."""
    companies = [pk for pk, role in roles.items() if role == "user"]
    email = str(getattr(user, "email", ""))
    if not companies or not email:
        return None
    return (
        Employee.objects.active()
        .filter(company_id__in=companies, email__iexact=email, roles__code__in=FIELD_ROLES)
        .order_by("company_id")
        .values_list("company_id", flat=True)
        .first()
    )


# -- the program path ------------------------------------------------------------------


@dataclass
class Step:
    key: str
    label: StrOrPromise
    state: str  # "done", "current", "todo"
    detail: StrOrPromise = ""
    # What blocks the next step, and where to resolve it.
    blocker: StrOrPromise = ""
    url: str = ""
    action: StrOrPromise = ""


@dataclass
class Path:
    steps: list[Step]
    certification: Certification | None
    readiness: int | None
    answered: int
    total: int
    musts_unmet: int

    @property
    def current(self) -> Step | None:
        return next((s for s in self.steps if s.state == "current"), None)

    @property
    def tier(self) -> int | None:
        c = self.certification
        return c.tier if c is not None and c.status in CERTIFIED_STATES else None


def _readiness(profile: SecurityProfile | None) -> tuple[int | None, int, int, int]:
    """(overall %, answered, total, Musts unmet) of one profile, in one query."""
    if profile is None:
        return None, 0, 0, 0
    rows = _requirement_counts(Response.objects.filter(profile=profile))
    return _score(rows.get(profile.pk, []))


def _requirement_counts(responses: Any) -> dict[int, list[tuple[str, str, int]]]:
    """Per profile: (requirement for the company's type, status, count), one query."""
    rows = (
        responses.filter(
            criterion__applicabilities__business_type=F("profile__company__business_type")
        )
        .order_by()
        .values_list("profile_id", "criterion__applicabilities__requirement", "status")
        .annotate(n=Count("pk"))
    )
    found: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for profile_id, requirement, status, n in rows:
        found[profile_id].append((requirement, status, n))
    return found


def _score(rows: list[tuple[str, str, int]]) -> tuple[int | None, int, int, int]:
    earned, possible, answered, total, musts = Fraction(0), 0, 0, 0, 0
    for requirement, status, n in rows:
        total += n
        if status:
            answered += n
        if requirement == "must" and status not in (
            ResponseStatus.IMPLEMENTED,
            ResponseStatus.NOT_APPLICABLE,
        ):
            musts += n
        if status == ResponseStatus.NOT_APPLICABLE:
            continue
        weight = WEIGHTS.get(requirement, 1)
        possible += weight * n
        earned += weight * n * SHARES.get(status, Fraction(0))
    return (percent(earned / possible) if possible else None), answered, total, musts


def program_path(company: Company, today: datetime.date | None = None) -> Path:
    """Where the company stands on the way to (and through) certification."""
    today = today or timezone.localdate()
    pk = company.pk
    check = EligibilityCheck.objects.filter(company=company).order_by("-created_at").first()
    # Read through the company: free when it was fetched with `select_related("application",
    # "certification")` (the home does), and the annual cycle below reads the same two.
    application: Application | None = company.current_application()
    profile = SecurityProfile.current_for(company)
    submission = (
        Submission.objects.filter(company=company).defer("snapshot").order_by("-number").first()
    )
    certification: Certification | None = getattr(company, "certification", None)
    score, answered, total, musts = _readiness(profile)
    rejected = (
        CriterionReview.objects.filter(
            certification__company=company, accepted=False, responded_at__isnull=True
        ).count()
        if certification is not None
        else 0
    )
    report = (
        ValidationReport.objects.filter(
            certification__company=company,
            status="approved",
            responded_at__isnull=True,
        )
        .exclude(required_actions="")
        .order_by("-decided_at")
        .first()
        if certification is not None
        else None
    )
    cycle = current_cycle(company, today)
    status = certification.status if certification else State.DRAFT
    certified = status in CERTIFIED_STATES

    steps: list[Step] = []
    eligibility_url = reverse("eligibility:check", args=[pk])
    if check is None:
        steps.append(
            Step("eligibility", _("Eligibility"), "current", _("Not checked yet"),
                 _("Answer the eligibility questions."), eligibility_url, _("Check eligibility"))
        )  # fmt: skip
    elif not check.qualifies:
        steps.append(
            Step("eligibility", _("Eligibility"), "current", _("Does not qualify yet"),
                 _("Resolve the answers that disqualify the company, then check again."),
                 eligibility_url, _("See what to change"))
        )  # fmt: skip
    else:
        steps.append(Step("eligibility", _("Eligibility"), "done", _("Qualifies")))

    application_url = reverse("applications:application-detail", args=[pk])
    if application is not None and application.status == Application.Status.SUBMITTED:
        steps.append(Step("application", _("Application"), "done", _("Submitted")))
    else:
        steps.append(
            Step("application", _("Application"), "todo", _("Draft"),
                 _("Complete the application and have the officer sign the partner agreement."),
                 application_url, _("Open the application"))
        )  # fmt: skip

    profile_url = reverse("profiles:profile-detail", args=[pk])
    if submission is not None and not (profile and profile.has_unsubmitted_changes):
        steps.append(Step("profile", _("Security profile"), "done", _("Submitted")))
    elif submission is not None:
        steps.append(
            Step("profile", _("Security profile"), "todo", _("Changed since the last submission"),
                 _("Submit the changed profile."), profile_url, _("Open the security profile"))
        )  # fmt: skip
    else:
        unanswered = total - answered
        if profile is None:
            blocker: StrOrPromise = _("Start answering the Minimum Security Criteria.")
        elif unanswered:
            blocker = _("%(n)s criteria not answered yet, %(m)s Must criteria not met.") % {
                "n": unanswered,
                "m": musts,
            }
        else:
            blocker = _("Every criterion is answered: the officer submits the profile.")
        # Everything answered: the button names what is left (the profile page holds the
        # officer's "Review and submit").
        action = _("Review and submit the profile") if profile and not unanswered else None
        steps.append(
            Step("profile", _("Security profile"), "todo",
                 _("%(a)s of %(t)s answered") % {"a": answered, "t": total} if total else "",
                 blocker, profile_url, action or _("Answer the criteria"))
        )  # fmt: skip

    status_url = reverse("certification_member:status", args=[pk])
    if status in (State.APPLIED, State.UNDER_REVIEW):
        if rejected:
            steps.append(
                Step("review", _("Program office review"), "todo",
                     certification.get_status_display() if certification else "",
                     _("%(n)s criteria rejected by the specialist wait for your answer.")
                     % {"n": rejected},
                     reverse("certification_member:profile-review", args=[pk]),
                     _("Answer the rejected criteria"))
            )  # fmt: skip
        else:
            steps.append(
                Step("review", _("Program office review"), "todo",
                     certification.get_status_display() if certification else "",
                     _("The program office is reviewing the account; nothing waits on you."),
                     status_url, _("See the status"))
            )  # fmt: skip
    elif certified or certification is not None and certification.certified_at:
        steps.append(Step("review", _("Program office review"), "done", _("Completed")))
    else:
        label = certification.get_status_display() if certification else _("Not started")
        steps.append(Step("review", _("Program office review"), "todo", label))

    tier = certification.tier if certification and certified else None
    if certified:
        steps.append(Step("certified", _("Certified"), "done", _("Tier %(tier)s") % {"tier": tier}))
    elif status == State.SUSPENDED:
        steps.append(
            Step("certified", _("Certified"), "todo", _("Suspended"),
                 _("Answer the suspension before its deadline."), status_url,
                 _("Respond to the suspension"))
        )  # fmt: skip
    else:
        steps.append(Step("certified", _("Certified"), "todo", _("Not yet")))

    if report is not None:
        steps.append(
            Step("validation", _("Validation"), "todo", _("Report approved"),
                 _("Answer the validation report's required actions."), status_url,
                 _("Answer the report"))
        )  # fmt: skip
    elif certification is not None and certification.last_validated_at:
        due = certification.validation_due()
        steps.append(
            Step("validation", _("Validation"), "done",
                 _("Validated; next by %(date)s") % {"date": due} if due else _("Validated"))
        )  # fmt: skip
    elif certified and certification is not None:
        due = certification.validation_due()
        steps.append(
            Step("validation", _("Validation"), "todo",
                 _("Due by %(date)s") % {"date": due} if due else "",
                 _("Prepare for the validation visit: keep evidence and readiness current."),
                 profile_url, _("Check readiness"))
        )  # fmt: skip
    else:
        steps.append(Step("validation", _("Validation"), "todo", _("After certification")))

    annual_url = reverse("profiles:annual-review", args=[pk])
    if cycle is None:
        steps.append(Step("annual", _("Annual review"), "todo", _("After the application")))
    elif cycle.status == "done":
        steps.append(
            Step("annual", _("Annual review"), "done",
                 _("Done for %(date)s") % {"date": cycle.due_date})
        )  # fmt: skip
    elif cycle.accepts_review:
        steps.append(
            Step("annual", _("Annual review"), "todo",
                 _("Due %(date)s") % {"date": cycle.due_date},
                 _("Review the security profile and submit it or confirm nothing changed."),
                 annual_url, _("Do the annual review"))
        )  # fmt: skip
    else:
        steps.append(
            Step("annual", _("Annual review"), "todo",
                 _("Window opens %(date)s") % {"date": cycle.opens_on})
        )  # fmt: skip

    # The current step: the first not done that has something to do.
    for step in steps:
        if step.state != "done" and step.url:
            step.state = "current"
            break
    return Path(steps, certification, score, answered, total, musts)


# -- consultant portfolio --------------------------------------------------------------


@dataclass
class Client:
    company: Company
    role: str
    status: str
    status_label: StrOrPromise
    tier: int | None
    readiness: int | None
    next_due: datetime.date | None
    overdue: int
    open_alerts: int
    url: str


def portfolio(user: Any, today: datetime.date | None = None) -> list[Client]:
    """One row per company the user belongs to, in a fixed number of queries."""
    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.filter(user=user).select_related("company", "company__certification")
    )
    ids = frozenset(m.company_id for m in memberships)
    profiles: dict[int, tuple[datetime.date, int]] = {}
    for pk, company_id, effective in SecurityProfile.objects.filter(company_id__in=ids).values_list(
        "pk", "company_id", "catalogue__effective_date"
    ):
        if company_id not in profiles or (effective, pk) > profiles[company_id]:
            profiles[company_id] = (effective, pk)
    counts = _requirement_counts(
        Response.objects.filter(profile_id__in=[pk for _e, pk in profiles.values()])
    )
    alerts = dict(
        PartnerScreening.objects.filter(partner__company_id__in=ids, status__in=OPEN_STATUSES)
        .order_by()
        .values_list("partner__company_id")
        .annotate(n=Count("pk"))
        .values_list("partner__company_id", "n")
    )
    next_due: dict[int, datetime.date] = {}
    overdue: dict[int, int] = defaultdict(int)
    seen: set[tuple[str, str]] = set()
    for task in reminders.tasks(reminders.Scope(today, ids)):
        if task.company_id is None or (task.kind, task.key) in seen:
            continue
        seen.add((task.kind, task.key))
        if task.overdue(today):
            overdue[task.company_id] += 1
        elif task.due is not None and (
            task.company_id not in next_due or task.due < next_due[task.company_id]
        ):
            next_due[task.company_id] = task.due
    clients = []
    for m in memberships:
        company = m.company
        certification = getattr(company, "certification", None)
        status = certification.status if certification else State.DRAFT
        profile = profiles.get(company.pk)
        score = _score(counts.get(profile[1], []))[0] if profile else None
        clients.append(
            Client(
                company=company,
                role=m.role,
                status=status,
                status_label=State(status).label,
                tier=certification.tier if certification and status in CERTIFIED_STATES else None,
                readiness=score,
                next_due=next_due.get(company.pk),
                overdue=overdue.get(company.pk, 0),
                open_alerts=alerts.get(company.pk, 0),
                url=reverse("companies:company-detail", args=[company.pk]),
            )
        )
    return clients


SORTS = {
    "name": lambda c: c.company.legal_name.lower(),
    "status": lambda c: str(c.status_label),
    "tier": lambda c: c.tier or 0,
    "readiness": lambda c: -1 if c.readiness is None else c.readiness,
    "due": lambda c: c.next_due or datetime.date.max,
    "overdue": lambda c: c.overdue,
    "alerts": lambda c: c.open_alerts,
}


def sort_clients(clients: list[Client], key: str) -> tuple[list[Client], str]:
    """Sorted by `key` ("-key" descending); an unknown key sorts by overdue, most first."""
    name = key.removeprefix("-")
    if name not in SORTS:
        return sorted(clients, key=lambda c: (-c.overdue, c.company.legal_name.lower())), "-overdue"
    return sorted(clients, key=SORTS[name], reverse=key.startswith("-")), key


# -- field staff -----------------------------------------------------------------------


# The field home shows the last seals that moved today, not all of a busy gate's.
SEALS_SHOWN = 20


@dataclass(frozen=True)
class SealMove:
    """What last happened today to one seal (read as plain values, not model rows)."""

    seal_id: int
    number: str
    kind: str
    label: StrOrPromise
    at: datetime.datetime
    iit_number: str


@dataclass
class FieldHome:
    company: Company
    checklists: list[tuple[str, str]] = field(default_factory=list)
    seals_today: list[SealMove] = field(default_factory=list)
    recent: list[Inspection] = field(default_factory=list)


def field_home(company: Company, today: datetime.date | None = None) -> FieldHome:
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    own = [(c.key, c.name) for c in company.checklists.filter(active=True)]
    checklists = [(key, c.name) for key, c in builtin().items()] + own
    labels = dict(SealEvent._meta.get_field("kind").flatchoices)  # once, not per row
    events = (
        SealEvent.objects.filter(seal__company=company, at__gte=start)
        .order_by("-at", "-pk")
        .values_list("seal_id", "seal__number", "kind", "at", "iit_number")[: SEALS_SHOWN * 2]
    )
    seals: list[SealMove] = []
    seen: set[int] = set()
    for seal_id, number, kind, at, iit in events:  # each seal once, with its last move
        if seal_id not in seen and len(seals) < SEALS_SHOWN:
            seen.add(seal_id)
            seals.append(SealMove(seal_id, number, kind, labels.get(kind, kind), at, iit or ""))
    recent = list(
        Inspection.objects.filter(company=company)
        .only("pk", "company_id", "checklist_name", "iit_number", "performed_at", "points_failed",
              "signed_off_at")
        .order_by("-performed_at", "-pk")[:10]
    )  # fmt: skip
    return FieldHome(company, checklists, seals, recent)


def open_counts(company: Company, today: datetime.date | None = None) -> dict[str, int]:
    """Overdue corrective actions and open screening alerts of one company."""
    today = today or timezone.localdate()
    return {
        "overdue_actions": CorrectiveAction.objects.filter(company=company).overdue(today).count(),
        "open_alerts": PartnerScreening.objects.filter(
            partner__company=company, status__in=OPEN_STATUSES
        ).count(),
    }


@dataclass
class OfficeWork:
    """What waits on one program-office person when they sign in: counts of each kind of
    work (each links to the list that holds it) and their next clocks."""

    mine: int  # open cases assigned to them
    unassigned: int  # applications no specialist took yet
    answered: int  # members' answers to rejected criteria, on their cases
    reports: int  # validation reports awaiting their approval (supervisors; never their own)
    appeals: int  # appeals awaiting a decision (supervisors)
    tasks: list[reminders.Task]

    @property
    def anything(self) -> bool:
        return bool(self.mine or self.unassigned or self.answered or self.reports or self.appeals)


OFFICE_TASKS = 5
OPEN_CASES = (State.APPLIED, State.UNDER_REVIEW, *CERTIFIED_STATES, State.SUSPENDED)


def office_work(user: Any, today: datetime.date | None = None) -> OfficeWork:
    """The program office's home, in a fixed number of queries."""
    today = today or timezone.localdate()
    supervisor = user.program_role == "supervisor"
    cases = Certification.objects.all()
    return OfficeWork(
        mine=cases.filter(assigned_to=user, status__in=OPEN_CASES).count(),
        unassigned=cases.in_review_queue().filter(assigned_to__isnull=True).count(),
        answered=CriterionReview.objects.filter(
            certification__assigned_to=user,
            accepted=False,
            responded_at__isnull=False,
        ).count(),
        reports=(
            ValidationReport.objects.filter(status=ReportStatus.SUBMITTED)
            .exclude(drafted_by=user)
            .count()
            if supervisor
            else 0
        ),
        appeals=(Appeal.objects.filter(outcome=AppealOutcome.PENDING).count() if supervisor else 0),
        tasks=reminders.tasks_for(user, today, limit=OFFICE_TASKS),
    )
