"""Business verbs of the security profile: submitting it (the company officer's signature,
which freezes a snapshot), the annual review, and adding evidence files.

The pages and the API both call these functions; they only translate the exceptions into
a form error or an HTTP status.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.changes import Comparison, compare
from catalogue.choices import Requirement
from catalogue.models import Catalogue
from companies.models import Company
from core.refusals import Invalid, NotAllowed, NotAnOfficer
from core.uploads import CheckedFile, attach, store_file
from profiles import annual
from profiles.choices import ResponseStatus, ReviewOutcome, SubmissionKind
from profiles.models import (
    AnnualReview,
    Evidence,
    EvidenceFile,
    Response,
    Row,
    SecurityProfile,
    Submission,
)
from profiles.snapshots import build_snapshot

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


class SubmissionRefused(NotAllowed):
    """The profile cannot be submitted (or the review recorded); the message says why."""

    code = "submission_refused"


class NothingToSubmit(SubmissionRefused):
    code = "nothing_to_submit"

    def __init__(self, number: int) -> None:
        super().__init__(
            _("Nothing changed since submission %(number)s; there is nothing new to submit.")
            % {"number": number}
        )


class ReviewNotOpen(SubmissionRefused):
    code = "review_not_open"


@dataclass(frozen=True)
class Signature:
    full_name: str
    title: str
    attestation: str
    ip_address: str | None


def _require_officer(company: Company, user: User) -> None:
    if not Company.objects.for_user(user, "sign").filter(pk=company.pk).exists():
        raise NotAnOfficer(_("Only a company officer can submit the security profile."))


def submit_profile(profile: SecurityProfile, user: User, signature: Signature) -> Submission:
    """Freeze the profile as the company's next submission, signed by the officer.

    The profile row is locked for the whole transaction, so of two concurrent requests (a
    double click, a retried POST) the second waits, then finds nothing new to submit.
    During an open (or overdue) annual-review window the submission also completes that
    year's review.
    """
    company = profile.company
    _require_officer(company, user)
    with transaction.atomic():
        locked = (
            SecurityProfile.objects.select_for_update(of=("self",))
            .select_related("company", "catalogue")
            .get(pk=profile.pk)
        )
        previous = Submission.objects.filter(company=company).aggregate(n=Max("number"))["n"]
        if previous and not locked.has_unsubmitted_changes:
            raise NothingToSubmit(previous)
        rows = locked.rows(with_evidence=True)
        readiness = locked.readiness(rows)
        latest = _latest_files(locked)
        now = timezone.now()
        cycle = annual.current_cycle(company, timezone.localdate(now))
        counts_as_review = cycle is not None and cycle.accepts_review
        submission = Submission.objects.create(
            company=company,
            profile=locked,
            number=(previous or 0) + 1,
            kind=SubmissionKind.ANNUAL_REVIEW if counts_as_review else SubmissionKind.SUBMISSION,
            submitted_by=user,
            submitted_at=now,
            signer_name=signature.full_name,
            signer_title=signature.title,
            attestation=signature.attestation,
            ip_address=signature.ip_address,
            overall_score=readiness.overall,
            snapshot=build_snapshot(locked, rows, readiness, latest),
        )
        if counts_as_review and cycle is not None:
            AnnualReview.objects.create(
                company=company,
                due_date=cycle.due_date,
                outcome=ReviewOutcome.CHANGES_SUBMITTED,
                completed_at=now,
                completed_by=user,
                submission=submission,
                late=cycle.status == annual.OVERDUE,
            )
        locked.has_unsubmitted_changes = False
        locked.save(update_fields=["has_unsubmitted_changes", "updated_at"])
    return submission


def _latest_files(profile: SecurityProfile) -> dict[int, EvidenceFile]:
    latest: dict[int, EvidenceFile] = {}
    files = EvidenceFile.objects.filter(evidence__response__profile=profile).order_by("version")
    for item in files.only("pk", "evidence_id", "version", "original_name", "sha256"):
        latest[item.evidence_id] = item
    return latest


def attest_no_change(company: Company, user: User) -> AnnualReview:
    """Record this year's review as "reviewed, no change".

    Only in an open (or overdue) window, only after a first submission, and only when the
    profile has no unsubmitted changes (those must be submitted instead)."""
    _require_officer(company, user)
    with transaction.atomic():
        # Lock the company row: two attestations at once record one review.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        cycle = annual.current_cycle(company)
        if cycle is not None and cycle.review is not None:
            raise ReviewNotOpen(
                _("This year's review was already recorded on %(date)s.")
                % {"date": timezone.localdate(cycle.review.completed_at).isoformat()}
            )
        if cycle is None or not cycle.accepts_review:
            raise ReviewNotOpen(_("The annual review window is not open."))
        if not Submission.objects.filter(company=company).exists():
            raise ReviewNotOpen(
                _(
                    "Submit the security profile first; the annual review confirms a submitted "
                    "profile."
                )
            )
        profile = SecurityProfile.current_for(company)
        if profile is not None and profile.has_unsubmitted_changes:
            raise SubmissionRefused(
                _(
                    "The profile has changes that were not submitted. Submit them instead: "
                    "that completes the review."
                )
            )
        now = timezone.now()
        return AnnualReview.objects.create(
            company=company,
            due_date=cycle.due_date,
            outcome=ReviewOutcome.NO_CHANGE,
            completed_at=now,
            completed_by=user,
            late=cycle.status == annual.OVERDUE,
        )


class UpgradeRefused(NotAllowed):
    """The profile cannot move to that catalogue version; the message says why."""

    code = "profile_upgrade_refused"


@dataclass
class Upgrade:
    profile: SecurityProfile
    comparison: Comparison
    carried: int


def upgrade_profile(profile: SecurityProfile, catalogue: Catalogue, *, by: User) -> Upgrade:
    """Move the company's profile to a newer published version of its catalogue.

    A new profile on `catalogue` receives the answers (status, narrative, owner, due
    date) and the evidence (every file version, the same stored files) criterion by
    criterion; criteria the new version adds start unanswered. The old profile and every
    submission made from it stay as they were, frozen on the old version. Only someone
    who may edit the profile moves it."""
    if not Company.objects.for_user(by, "edit").filter(pk=profile.company_id).exists():
        raise UpgradeRefused(_("Only people who edit the security profile can move it."))
    with transaction.atomic():
        current = (
            SecurityProfile.objects.select_for_update()
            .select_related("catalogue", "company")
            .get(pk=profile.pk)
        )
        if SecurityProfile.current_for(current.company) != current:
            raise UpgradeRefused(_("This is not the company's current profile."))
        if (
            not catalogue.published
            or catalogue.slug != current.catalogue.slug
            or catalogue.effective_date <= current.catalogue.effective_date
        ):
            raise UpgradeRefused(
                _("%(catalogue)s is not a newer published version of %(current)s.")
                % {"catalogue": catalogue, "current": current.catalogue}
            )
        new = SecurityProfile.objects.create(
            company=current.company, catalogue=catalogue, has_unsubmitted_changes=True
        )
        new.company = current.company
        carried = _carry_over(current, new, by)
        new.ensure_responses()
    comparison = compare(current.catalogue, catalogue, current.company.business_type)
    return Upgrade(new, comparison, carried)


def _carry_over(old: SecurityProfile, new: SecurityProfile, by: User) -> int:
    """Copy answers and evidence from `old` to `new` for the criteria both versions have
    and that apply to the company; return how many answers were carried."""
    applicable = {c.ref_id: c for c in new.criteria()}
    answers = list(
        Response.objects.filter(profile=old)
        .select_related("criterion")
        .filter(criterion__ref_id__in=list(applicable))
    )
    copies = Response.objects.bulk_create(
        Response(
            profile=new,
            criterion=applicable[a.criterion.ref_id],
            status=a.status,
            narrative=a.narrative,
            na_reason=a.na_reason,
            owner_id=a.owner_id,
            due_date=a.due_date,
            updated_by=by,
        )
        for a in answers
    )
    new_response = {a.pk: copy for a, copy in zip(answers, copies, strict=True)}
    evidence = list(Evidence.objects.filter(response__in=answers).order_by("pk"))
    evidence_copies = Evidence.objects.bulk_create(
        Evidence(
            response=new_response[e.response_id],
            title=e.title,
            expires_on=e.expires_on,
            created_by_id=e.created_by_id,
        )
        for e in evidence
    )
    new_evidence = {e.pk: copy for e, copy in zip(evidence, evidence_copies, strict=True)}
    file_fields = [
        f.name for f in EvidenceFile._meta.concrete_fields if f.name not in {"id", "evidence"}
    ]
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            evidence=new_evidence[f.evidence_id],
            **{name: getattr(f, name) for name in file_fields},
        )
        for f in EvidenceFile.objects.filter(evidence__in=evidence)
    )
    return len(copies)


def needing_attention(upgrade_from: SecurityProfile, profile: SecurityProfile) -> list[Row]:
    """The rows of `profile` to look at again after the move: criteria the new version
    adds, and criteria now a Must that are not fully implemented (or marked not
    applicable)."""
    comparison = compare(upgrade_from.catalogue, profile.catalogue, profile.company.business_type)
    added = {c.ref_id for c in comparison.added}
    now_must = {c.ref_id for c, _old, new in comparison.relevelled if new == Requirement.MUST}
    return [
        row
        for row in profile.rows()
        if row.criterion.ref_id in added
        or (row.criterion.ref_id in now_must and row.response.status != ResponseStatus.IMPLEMENTED)
    ]


# -- evidence ---------------------------------------------------------------------------


def add_evidence(
    response: Response,
    *,
    title: str,
    expires_on: datetime.date | None,
    upload: UploadedFile[bytes],
    by: User,
) -> Evidence:
    """A new evidence document for an answer, with its file as version 1.

    The file is checked (type, size) before anything is stored; the evidence, its first
    file and the profile's "changed since submission" mark are written in one transaction,
    and the stored file is removed again if that fails."""

    def write(stored: str, checked: CheckedFile) -> Evidence:
        evidence = Evidence.objects.create(
            response=response, title=title, expires_on=expires_on, created_by=by
        )
        file = EvidenceFile(evidence=evidence, version=1)
        attach(file, stored, checked, uploaded_by=by)
        file.save()
        _mark_changed(response.profile_id)
        return evidence

    company_id = response.profile.company_id
    evidence = store_file(upload, f"evidence/{company_id}", write)
    evidence.current_version = 1  # type: ignore[attr-defined]
    return evidence


def add_evidence_version(
    evidence: Evidence, *, upload: UploadedFile[bytes], by: User
) -> EvidenceFile:
    """The next version of an evidence document's file; the earlier versions stay."""

    def write(stored: str, checked: CheckedFile) -> EvidenceFile:
        # Lock the evidence so two uploads at once get versions n+1 and n+2.
        Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
        last = evidence.files.order_by("-version").values_list("version", flat=True).first()
        file = EvidenceFile(evidence=evidence, version=(last or 0) + 1)
        attach(file, stored, checked, uploaded_by=by)
        file.save()
        _mark_changed(evidence.response.profile_id)
        return file

    company_id = evidence.response.profile.company_id
    return store_file(upload, f"evidence/{company_id}", write)


class BulkRefused(Invalid):
    """The change cannot apply to some of the chosen criteria; the message names them."""

    code = "bulk_refused"


BULK_FIELDS = ("status", "owner", "due_date")


def bulk_set(
    profile: SecurityProfile, criterion_ids: list[int], changes: dict[str, object], *, by: User
) -> list[Response]:
    """Set status, owner and/or due date (only the keys in `changes`) on the answers to
    many criteria at once, all or nothing. Each changed answer gets a new version, stamped
    with `by`, so an editor with the criterion open sees the change as a conflict. "Not
    applicable" needs each answer's own reason: refused for answers without one, naming
    them. Returns the answers that changed."""
    changes = {k: v for k, v in changes.items() if k in BULK_FIELDS}
    if not changes or not criterion_ids:
        raise BulkRefused(_("Choose at least one criterion and one change to apply."))
    criteria = profile.catalogue.criteria_for(profile.company.business_type).filter(
        pk__in=criterion_ids
    )
    if criteria.count() != len(set(criterion_ids)):
        raise BulkRefused(_("Some chosen criteria do not apply to this company."))
    owner = changes.get("owner")
    if owner is not None and not profile.company.memberships.filter(user=owner).exists():  # type: ignore[misc]
        raise BulkRefused(_("The owner must be a member of the company."))
    changed: list[Response] = []
    with transaction.atomic():
        profile.ensure_responses(list(criteria))
        responses = list(
            Response.objects.select_for_update(of=("self",))
            .filter(profile=profile, criterion_id__in=criterion_ids)
            .select_related("criterion")
            .order_by("criterion__category_number", "criterion__sequence")
        )
        if changes.get("status") == ResponseStatus.NOT_APPLICABLE:
            missing = [r.criterion.ref_id for r in responses if not r.na_reason.strip()]
            if missing:
                raise BulkRefused(
                    _(
                        "“Not applicable” needs a reason for each criterion; write it on the "
                        "criterion page first: %(refs)s."
                    )
                    % {"refs": ", ".join(missing)}
                )
        for response in responses:
            fields = [n for n, v in changes.items() if getattr(response, n) != v]
            if not fields:
                continue
            for name in fields:
                setattr(response, name, changes[name])
            response.version += 1
            response.updated_by = by
            response.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
            changed.append(response)
        if changed:
            _mark_changed(profile.pk)
    return changed


def _mark_changed(profile_id: int) -> None:
    SecurityProfile.objects.filter(pk=profile_id).update(has_unsubmitted_changes=True)
