"""Recording results and completing a mock audit (which raises the corrective actions).

The pages and the API both call these functions."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import CorrectiveAction
from audits.choices import AuditStatus, FindingResult
from audits.models import Finding, FindingPhoto, MockAudit
from catalogue.models import Criterion
from core.refusals import NotAllowed
from core.uploads import CheckedFile, attach, store_file
from profiles.models import Response, SecurityProfile

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

# Days the company gets to fix a failure, or to act on an observation.
DUE_DAYS = {FindingResult.FAIL: 30, FindingResult.OBSERVATION: 90}


class AuditClosed(NotAllowed):
    """The audit is completed; its results no longer change."""

    code = "audit_closed"

    def __init__(self, audit: MockAudit) -> None:
        super().__init__(
            _("“%(title)s” is completed; its results can no longer change.")
            % {"title": audit.title}
        )


def start_audit(audit: MockAudit, *, by: User) -> MockAudit:
    """Save a new mock audit (company, title and kind set by its form or serializer) on the
    company's current security profile, with `by` as its auditor. Refused (`NoCatalogue`)
    while no criteria catalogue is loaded."""
    with transaction.atomic():
        audit.profile = SecurityProfile.start(audit.company)
        audit.auditor = by
        audit.save()
    return audit


def record_result(
    audit: MockAudit, criterion: Criterion, *, result: str, notes: str, by: User
) -> Finding:
    """Save the auditor's result for one criterion (refused once the audit is completed)."""
    with transaction.atomic():
        locked = MockAudit.objects.select_for_update().get(pk=audit.pk)
        if not locked.is_open:
            raise AuditClosed(locked)
        finding, _created = Finding.objects.get_or_create(audit=locked, criterion=criterion)
        finding.result = result
        finding.notes = notes
        finding.checked_by = by
        finding.save()
    return finding


def add_photo(
    audit: MockAudit, criterion: Criterion, *, upload: UploadedFile[bytes], by: User
) -> FindingPhoto:
    """Attach a photo to the audit's finding on `criterion` (made if the criterion has no
    result yet). Refused once the audit is completed, checked under the audit's lock; the
    stored file is removed again if anything fails."""

    def write(stored: str, checked: CheckedFile) -> FindingPhoto:
        locked = MockAudit.objects.select_for_update().get(pk=audit.pk)
        if not locked.is_open:
            raise AuditClosed(locked)
        finding, _created = Finding.objects.get_or_create(audit=locked, criterion=criterion)
        photo = FindingPhoto(finding=finding)
        attach(photo, stored, checked, uploaded_by=by)
        photo.save()
        return photo

    return store_file(upload, f"audits/{audit.company_id}", write)


def complete_audit(audit: MockAudit, by: User, summary: str = "") -> list[CorrectiveAction]:
    """Close the audit and raise one corrective action per failure or observation.

    The owner is whoever owns that criterion's answer in the profile; the due date is 30
    days out for a failure and 90 for an observation. Runs once: a second call (a double
    click) finds the audit completed and raises AuditClosed, creating nothing."""
    with transaction.atomic():
        locked = MockAudit.objects.select_for_update().get(pk=audit.pk)
        if not locked.is_open:
            raise AuditClosed(locked)
        now = timezone.now()
        today = timezone.localdate(now)
        findings = list(
            locked.findings.filter(result__in=list(DUE_DAYS)).select_related("criterion")
        )
        owners = dict(
            Response.objects.filter(
                profile_id=locked.profile_id, criterion__in=[f.criterion for f in findings]
            ).values_list("criterion_id", "owner_id")
        )
        created = [
            CorrectiveAction.objects.create(
                company_id=locked.company_id,
                title=_("%(ref)s: %(summary)s")
                % {"ref": f.criterion.ref_id, "summary": f.criterion.summary[:150]},
                description=_("%(result)s in “%(audit)s”. %(notes)s")
                % {"result": f.get_result_display(), "audit": locked.title, "notes": f.notes},
                criterion_ref=f.criterion.ref_id,
                owner_id=owners.get(f.criterion_id),
                due_date=today + datetime.timedelta(days=DUE_DAYS[FindingResult(f.result)]),
                source=f,
                created_by=by,
            )
            for f in findings
        ]
        locked.status = AuditStatus.COMPLETED
        locked.completed_at = now
        locked.completed_by = by
        locked.summary = summary or locked.summary
        locked.save()
    return created
