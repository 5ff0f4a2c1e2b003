"""What the member hears of its case: one notice (inbox + e-mail, `notices.workflow`) at
each step that concerns it — review started, criterion rejected, vetting outcome,
certified with its tier, validation planned, report approved with its required actions
and due date, suspension with its response clock, appeal decision, reinstatement, and the other
decisions of the lifecycle.

Lifecycle steps come from `certification.signals.status_changed`; the verbs that change
no status (reviewing a criterion, vetting, the report, an appeal's decision) are heard on
their rows' `post_save`, so the workflow functions stay as they are. Every receiver runs
inside the step's transaction, and each key names the object and the step, so a second
save of the same decision tells nobody twice. Connected in `CertificationConfig.ready()`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.choices import AppealOutcome, Outcome, ReportStatus, State
from certification.models import (
    Appeal,
    Certification,
    CriterionReview,
    ValidationReport,
    VettingCheck,
)
from certification.signals import case_notice, status_changed
from notices.workflow import notify


def _status_page(c: Certification) -> str:
    return reverse("certification_member:status", args=[c.company_id])


def _stamp(moment: Any) -> str:
    return moment.strftime("%Y%m%d%H%M%S") if moment else "-"


def on_status_changed(sender: type, certification: Certification, **kwargs: Any) -> None:
    c = certification
    key = f"{c.pk}:{c.status}:{_stamp(c.status_changed_at)}"
    url = _status_page(c)
    company = c.company
    if kwargs.get("transition") == "reinstate":
        # Back to the state the suspension interrupted: not a new certification or
        # validation, so it is told as what it is.
        notify(
            "reinstated",
            key,
            company=company,
            url=url,
            title=_("CTPAT benefits reinstated: tier %(tier)s"),
            params={"tier": c.tier or "—", "date": c.validation_due() or "—"},
            body=_("Your membership is back in force. The next validation is due by %(date)s."),
        )
    elif c.status == State.UNDER_REVIEW:
        notify(
            "review_started",
            key,
            company=company,
            url=url,
            title=_("The program office started the review of your CTPAT application"),
            body=_(
                "A supply chain security specialist is reviewing your application and "
                "security profile. Rejected criteria will reach you here to answer."
            ),
        )
    elif c.status == State.CERTIFIED:
        notify(
            "certified",
            key,
            company=company,
            url=url,
            title=_("%(company)s is CTPAT certified: tier %(tier)s"),
            params={
                "company": company.legal_name,
                "tier": c.tier or 1,
                "date": c.validation_due() or "—",
            },
            body=_("The validation of your security profile is due by %(date)s."),
        )
    elif c.status == State.VALIDATED:
        notify(
            "validated",
            key,
            company=company,
            url=url,
            title=_("Validation closed: %(company)s is certified at tier %(tier)s"),
            params={
                "company": company.legal_name,
                "tier": c.tier or "—",
                "date": c.validation_due() or "—",
            },
            body=_("The next validation is due by %(date)s."),
        )
    elif c.status == State.SUSPENDED:
        notify(
            "suspended",
            key,
            company=company,
            url=url,
            title=_("CTPAT benefits suspended: respond by %(date)s"),
            params={
                "date": c.suspension_response_due() or "—",
                "reason": c.get_suspension_reason_display() or "—",
            },
            body=_(
                "Reason: %(reason)s. Send your response and corrective action plan by "
                "%(date)s on the status page; without a response the membership may be "
                "removed."
            ),
        )
    elif c.status in (State.REJECTED, State.INELIGIBLE, State.REMOVED):
        notify(
            "decision",
            key,
            company=company,
            url=url,
            title=_("Decision on your CTPAT membership: %(status)s"),
            params={"status": c.get_status_display()},
            body=_("The status page gives the reason and, where it applies, how to appeal."),
        )


def on_review_saved(sender: type, instance: CriterionReview, **kwargs: Any) -> None:
    if instance.accepted or instance.reviewed_at is None:
        return
    c = instance.certification
    notify(
        "criterion_rejected",
        f"{instance.pk}:{_stamp(instance.reviewed_at)}",
        company=c.company,
        url=reverse("certification_member:profile-review", args=[c.company_id]),
        title=_("Criterion %(ref)s of your security profile was rejected"),
        params={"ref": instance.criterion.ref_id, "comment": instance.comment},
        body=_("The specialist's comment: %(comment)s\nAnswer it on the profile review page."),
    )


def on_vetting_saved(sender: type, instance: VettingCheck, **kwargs: Any) -> None:
    c = instance.certification
    if instance.outcome == Outcome.FAILED and not instance.override_by_id:
        notify(
            "vetting_failed",
            f"{instance.pk}:{_stamp(instance.updated_at)}",
            company=c.company,
            url=_status_page(c),
            title=_("Vetting: %(item)s did not pass"),
            params={"item": instance.get_item_display(), "note": instance.note or "—"},
            body=_("The program office's note: %(note)s"),
        )
        return
    if not instance.cleared:
        return  # a pending item (a new application resets them all) tells nobody
    checks = list(c.vetting.all())
    if (
        checks
        and all(v.cleared for v in checks)
        and c.status in (State.APPLIED, State.UNDER_REVIEW)
    ):
        notify(
            "vetting_passed",
            f"{c.pk}:{_stamp(c.applied_at)}",
            company=c.company,
            url=_status_page(c),
            title=_("Vetting complete: every item passed"),
            body=_("The review of your security profile continues."),
        )


def on_report_saved(sender: type, instance: ValidationReport, **kwargs: Any) -> None:
    c = instance.certification
    if instance.planned_start:
        notify(
            "validation_planned",
            f"{instance.pk}:{instance.planned_start}:{instance.planned_end}",
            company=c.company,
            url=_status_page(c),
            title=_("Validation planned from %(start)s to %(end)s"),
            params={
                "start": instance.planned_start,
                "end": instance.planned_end or instance.planned_start,
                "sites": instance.sites or "—",
            },
            body=_("Sites: %(sites)s. Prepare the records the specialist will ask to see."),
        )
    if instance.status == ReportStatus.APPROVED and instance.decided_at:
        due = instance.response_due()
        params = {
            "tier": instance.tier_outcome,
            "date": due or "—",
            "actions": instance.required_actions,
        }
        if due:
            body = _("Required actions, to answer by %(date)s:\n%(actions)s")
        else:
            body = _("No required actions.")
        notify(
            "report_approved",
            f"{instance.pk}:{_stamp(instance.decided_at)}",
            company=c.company,
            url=(
                reverse("certification_member:report-respond", args=[c.company_id, instance.pk])
                if due
                else _status_page(c)
            ),
            title=_("Validation report approved: tier %(tier)s"),
            params=params,
            body=body,
        )


def on_appeal_saved(sender: type, instance: Appeal, **kwargs: Any) -> None:
    if instance.outcome == AppealOutcome.PENDING or instance.decided_at is None:
        return
    c = instance.certification
    notify(
        "appeal_decided",
        f"{instance.pk}:{instance.outcome}",
        company=c.company,
        url=_status_page(c),
        title=_("Your appeal was decided: %(outcome)s"),
        params={
            "outcome": instance.get_outcome_display(),
            "date": timezone.localdate(instance.decided_at),
        },
        body=_("Decided on %(date)s. The status page shows your membership as it stands now."),
    )


def on_case_notice(sender: type, kind: str, certification: Certification, **kw: Any) -> None:
    """A document exchanged on the case reaches the other side: the member's officers and
    administrators, or the assigned specialist (the supervisors while nobody is assigned)."""
    by = kw.get("by")
    users = None
    if kind == "document_from_member":
        users = [certification.assigned_to] if certification.assigned_to else supervisors()
        users = [u for u in users if u is not None and u != by]
    notify(
        kind,
        f"{certification.pk}:{_stamp(timezone.now())}",
        company=certification.company,
        users=users,
        url=kw.get("url", ""),
        title=_("A new document on the CTPAT case of %(company)s"),
        params={"company": certification.company.legal_name},
        body=str(kw.get("title", "")),
    )


def supervisors() -> list[Any]:
    from accounts.models import User

    return list(User.objects.filter(program_role="supervisor", is_active=True))


def connect() -> None:
    case_notice.connect(on_case_notice, dispatch_uid="notices-case-document")
    status_changed.connect(
        on_status_changed, sender=Certification, dispatch_uid="notices-status-changed"
    )
    post_save.connect(on_review_saved, sender=CriterionReview, dispatch_uid="notices-review")
    post_save.connect(on_vetting_saved, sender=VettingCheck, dispatch_uid="notices-vetting")
    post_save.connect(on_report_saved, sender=ValidationReport, dispatch_uid="notices-report")
    post_save.connect(on_appeal_saved, sender=Appeal, dispatch_uid="notices-appeal")
