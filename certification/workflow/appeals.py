"""Enforcement and appeals: the member's response to a suspension, appeal windows,
filing and deciding appeals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import clocks
from certification.choices import (
    AppealKind,
    AppealOutcome,
    SuspensionReason,
)
from certification.models import (
    Appeal,
    Certification,
    CertificationEvent,
)
from certification.workflow.checks import require
from certification.workflow.lifecycle import A, S, actor_role, perform

if TYPE_CHECKING:
    import datetime

    from accounts.models import User


def respond_to_suspension(
    certification: Certification, *, by: User, response: str
) -> Certification:
    require(actor_role(certification, by) == A.OFFICER, _("Only the company officer responds."))
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        due = locked.suspension_response_due()
        require(due is not None, _("The account is not suspended."))
        require(
            timezone.localdate() <= due,  # type: ignore[operator]
            _("The response window closed on %(date)s.") % {"date": due},
        )
        require(bool(response.strip()), _("response: describe the corrective actions."))
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
    require(actor_role(certification, by) == A.OFFICER, _("Only the company officer appeals."))
    require(event.transition in APPEALABLE, _("This event is not a decision that can be appealed."))
    require(bool(grounds.strip()), _("grounds: say why the decision should change."))
    kind, deadline = appeal_window(event)
    require(
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
    require(by.program_role == A.SUPERVISOR, _("Only a supervisor decides appeals."))
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        require(locked.outcome == AppealOutcome.PENDING, _("This appeal was already decided."))
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
