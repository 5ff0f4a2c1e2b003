"""Validation: the per-criterion worksheet, the report, its supervisor approval and the
member's answer to required actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.choices import (
    CERTIFIED_STATES,
    Finding,
    Observation,
    ReportStatus,
)
from certification.models import (
    ValidationReport,
    WorksheetEntry,
)
from certification.workflow.checks import is_program_office, require
from certification.workflow.lifecycle import A

if TYPE_CHECKING:
    from accounts.models import User


def worksheet_criteria(report: ValidationReport) -> Any:
    """The MSC criteria of the member's business type in the catalogue in force, in
    catalogue order (empty when no catalogue is published)."""
    from catalogue.models import Catalogue, Criterion

    catalogue = Catalogue.objects.latest_published()
    if catalogue is None:
        return Criterion.objects.none()
    business_type = report.certification.company.business_type
    return catalogue.criteria_for(business_type).order_by("category_number", "sequence")


def plan_report(report: ValidationReport, *, by: User) -> ValidationReport:
    """A specialist plans a validation (the report's draft). A validation follows
    certification: planning waits until the member is certified or validated."""
    require(is_program_office(by), _("Only the program office plans a validation."))
    require(
        report.certification.status in CERTIFIED_STATES,
        _("A validation is planned once the member is certified (tier 1)."),
    )
    report.drafted_by = by
    report.status = ReportStatus.DRAFT
    report.save()
    return report


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
    require(is_program_office(by), _("Only the program office fills the worksheet."))
    require(
        _report_editable(report),
        _("The worksheet is locked while the report awaits or has its supervisor's decision."),
    )
    require(
        observation in Observation.values,
        _("observation: choose one of %s.") % ", ".join(Observation.values),
    )
    require(finding in Finding.values, _("finding: choose one of %s.") % ", ".join(Finding.values))
    require(
        worksheet_criteria(report).filter(pk=criterion.pk).exists(),
        _("criterion: %(ref)s does not apply to this member's business type.")
        % {"ref": criterion.ref_id},
    )
    require(
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


# CBP's Best Practices Framework (2021) opens Tier 3 to importers and exporters
# (docs/domain-sources.md).
TIER_3_BUSINESS_TYPES = frozenset({"importer", "exporter"})


def submit_report(report: ValidationReport, *, by: User) -> ValidationReport:
    """The author sends the report to a supervisor. When a worksheet was filled, its
    required actions and recommendations become the report's findings."""
    require(report.drafted_by_id == by.pk, _("Only the report's author submits it."))
    require(
        _report_editable(report),
        _("This report was already submitted."),
    )
    require(
        report.tier_outcome in (2, 3), _("tier_outcome: a validation ends in tier 2 or tier 3.")
    )
    require(
        report.tier_outcome != 3
        or report.certification.company.business_type in TIER_3_BUSINESS_TYPES,
        _(
            "tier_outcome: tier 3 is for importers and exporters that exceed the minimum "
            "security criteria."
        ),
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
    require(by.program_role == A.SUPERVISOR, _("Only a supervisor approves validation reports."))
    require(report.drafted_by_id != by.pk, _("The author of a report cannot approve it."))
    with transaction.atomic():
        locked = ValidationReport.objects.select_for_update().get(pk=report.pk)
        require(
            locked.status == ReportStatus.SUBMITTED, _("Only a submitted report can be decided.")
        )
        require(approve or bool(note.strip()), _("note: say what the specialist must change."))
        locked.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = note.strip()
        locked.save()
    return locked


def respond_to_report(report: ValidationReport, *, by: User, response: str) -> ValidationReport:
    """The member answers the required actions of an approved report, before its due date."""
    require(
        report.certification.company.role_of(by) in ("officer", "admin"),
        _("Only the company officer or an administrator answers the report."),
    )
    due = report.response_due()
    require(due is not None, _("This report asks for no response."))
    require(
        timezone.localdate() <= due,  # type: ignore[operator]
        _("The response window closed on %(date)s.") % {"date": due},
    )
    require(report.response_accepted_at is None, _("The response was already accepted."))
    require(bool(response.strip()), _("response: describe how each required action was met."))
    report.member_response = response.strip()
    report.responded_at = timezone.now()
    report.save(update_fields=["member_response", "responded_at", "updated_at"])
    return report


def accept_report_response(report: ValidationReport, *, by: User) -> ValidationReport:
    require(is_program_office(by), _("Only the program office accepts the response."))
    require(bool(report.responded_at), _("The member has not responded yet."))
    report.response_accepted_at = timezone.now()
    report.save(update_fields=["response_accepted_at", "updated_at"])
    return report
