"""Every due date of the lifecycle in one list, and the daily run that enforces the clocks
and sends reminders (`ctpat send_deadline_reminders`, run by cron; mail goes out through
the tasks queue).

Who is reminded: the member's officers and administrators for what the member must do
(validation and revalidation readiness, suspension response, appeal window); the assigned
specialist (or every supervisor) for what the program office must do (certification SLA,
appeal decisions).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise
from django_tasks import task

from accounts.models import User
from certification import workflow
from certification.choices import AppealOutcome, State
from certification.models import Certification, DeadlineReminder
from companies.models import Membership

STAGES = (30, 7, 1)
OVERDUE = "overdue"
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
# Listed with the others, but reminded by the security profile's own daily run
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


def deadlines_of(certification: Certification) -> Iterator[Deadline]:
    c = certification
    if c.status in (State.APPLIED, State.UNDER_REVIEW) and (due := c.certification_due()):
        yield Deadline(c, "certification_sla", due)
    if c.status in (State.CERTIFIED, State.VALIDATED) and (due := c.validation_due()):
        yield Deadline(c, "revalidation" if c.last_validated_at else "validation", due)
    if c.status in (State.CERTIFIED, State.VALIDATED):
        from profiles.annual import current_cycle

        cycle = current_cycle(c.company)
        if cycle is not None and cycle.status != "done":
            yield Deadline(c, "annual_review", cycle.due_date)
    if due := c.suspension_response_due():
        if not c.suspension_response_at:
            yield Deadline(c, "suspension_response", due)
    decision = c.events.filter(transition__in=APPEALABLE).order_by("-created_at").first()
    if decision is not None and not decision.appeals.exists():
        yield Deadline(c, "appeal_filing", workflow.appeal_window(decision)[1])
    for report in c.validation_reports.filter(responded_at=None).exclude(required_actions=""):
        if due := report.response_due():
            yield Deadline(c, "validation_response", due)
    for appeal in c.appeals.filter(outcome=AppealOutcome.PENDING):
        yield Deadline(c, "appeal_decision", appeal.decision_due())


def deadlines(certifications: Iterable[Certification], today: datetime.date) -> list[Deadline]:
    """Every deadline of these accounts that is not yet long past (a week of grace, so a
    missed one stays visible), soonest first."""
    found = [
        d
        for c in certifications
        for d in deadlines_of(c)
        if d.kind in OFFICE_KINDS or d.due >= today - datetime.timedelta(days=7)
    ]
    return sorted(found, key=lambda d: (d.due, d.certification.company.legal_name))


def stage_for(days_left: int) -> str | None:
    if days_left < 0:
        return OVERDUE
    reached = [s for s in STAGES if days_left <= s]
    return str(min(reached)) if reached else None


def _recipients(deadline: Deadline) -> list[str]:
    c = deadline.certification
    if deadline.kind in OFFICE_KINDS:
        if c.assigned_to is not None:
            return [c.assigned_to.email]
        return list(User.objects.filter(program_role="supervisor").values_list("email", flat=True))
    return list(
        Membership.objects.filter(company=c.company, role__in=["officer", "admin"]).values_list(
            "user__email", flat=True
        )
    )


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


def run_daily(today: datetime.date | None = None) -> list[DeadlineReminder]:
    """Enforce the clocks, then record and queue each reminder due today (once per stage)."""
    today = today or timezone.localdate()
    enforce(today)
    active = Certification.objects.exclude(
        status__in=[State.DRAFT, State.REMOVED, State.WITHDRAWN, State.REJECTED, State.INELIGIBLE]
    ).select_related("company", "assigned_to")
    made: list[DeadlineReminder] = []
    for deadline in deadlines(active, today):
        if deadline.kind in LISTED_ONLY:
            continue
        stage = stage_for(deadline.days_left(today))
        recipients = _recipients(deadline)
        if stage is None or not recipients:
            continue
        company = deadline.certification.company
        subject = _("%(deadline)s due %(date)s: %(company)s") % {
            "deadline": deadline.label,
            "date": deadline.due.isoformat(),
            "company": company.legal_name,
        }
        try:
            with transaction.atomic():
                reminder = DeadlineReminder.objects.create(
                    certification=deadline.certification,
                    kind=deadline.kind,
                    due_date=deadline.due,
                    stage=stage,
                    recipients=recipients,
                    subject=subject,
                    body=subject
                    + "\n\n"
                    + settings.CTPAT_SITE_URL
                    + deadline.certification.get_absolute_url()
                    if deadline.kind in OFFICE_KINDS
                    else subject,
                )
        except IntegrityError:
            continue  # this stage was already sent
        made.append(reminder)
        transaction.on_commit(_enqueue(reminder.pk))
    return made


def _enqueue(pk: int) -> Callable[[], object]:
    return lambda: send_deadline_reminder.enqueue(pk)


@task()
def send_deadline_reminder(reminder_id: int) -> None:
    """Send one recorded reminder, once: a retried task finds it sent and stops."""
    with transaction.atomic():
        reminder = DeadlineReminder.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None or reminder.sent_at is not None:
            return
        send_mail(reminder.subject, reminder.body, None, reminder.recipients)
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at", "updated_at"])
