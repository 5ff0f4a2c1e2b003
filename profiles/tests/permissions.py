"""Permission cases for the security profile pages and API (walked by core's matrix).

`world` builds, inside each persona's savepoint, a small catalogue and the company's
profile with an answer, an evidence file, two submissions, a mock audit with a finding
and a photo, and a corrective action with a file.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ActionEvidence, CorrectiveAction
from audits.models import Finding, FindingPhoto, MockAudit
from portal.testing import ANY_USER, EDITORS, SIGNERS, VIEWERS, PermissionCase
from profiles.models import EvidenceFile, SecurityProfile
from profiles.tests.factories import PDF_BYTES, add_evidence, answer, make_catalogue, submit

C = PermissionCase
MATRIX_FILE = "ctpat-permission-matrix/evidence.pdf"


def _stored_file() -> str:
    # One small file reused by every persona; the rows pointing at it are rolled back.
    if not default_storage.exists(MATRIX_FILE):
        default_storage.save(MATRIX_FILE, ContentFile(PDF_BYTES))
    return MATRIX_FILE


def profile_world(t: Any) -> None:
    """A small catalogue, the company's profile and one answer (to criterion 3.1)."""
    t.catalogue = make_catalogue()
    t.profile = SecurityProfile.start(t.company)
    t.criterion = t.catalogue.criteria.get(ref_id="3.1")
    t.response = answer(t.profile, "3.1", status="partly", narrative="Screening")


def evidence_world(t: Any) -> None:
    profile_world(t)
    t.evidence = add_evidence(t.response)
    t.evidence_file = t.evidence.files.get()
    EvidenceFile.objects.filter(pk=t.evidence_file.pk).update(file=_stored_file())


def submission_world(t: Any) -> None:
    profile_world(t)
    submit(t.profile, t.users["officer"])
    answer(t.profile, "1.2", status="implemented")
    submit(t.profile, t.users["officer"])


def audit_world(t: Any) -> None:
    profile_world(t)
    t.audit = MockAudit.objects.create(
        company=t.company, profile=t.profile, title="Mock validation", auditor=t.users["user"]
    )
    t.finding = Finding.objects.create(
        audit=t.audit, criterion=t.criterion, result="fail", notes="No screening records"
    )
    t.photo = FindingPhoto.objects.create(
        finding=t.finding,
        file=_stored_file(),
        original_name="gate.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )


def action_world(t: Any) -> None:
    t.action = CorrectiveAction.objects.create(
        company=t.company,
        title="Screen partners",
        due_date="2030-01-01",
        criterion_ref="3.1",
    )
    t.action_file = ActionEvidence.objects.create(
        action=t.action,
        file=_stored_file(),
        original_name="proof.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )


def company(t: Any) -> int:
    return int(t.company.pk)


def page(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[company(t), *[a(t) if callable(a) else a for a in args]])


def api(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def pdf(name: str = "policy.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES)


def _answer_form(t: Any) -> dict[str, Any]:
    return {"status": "implemented", "narrative": "Done", "version": t.response.version}


CRITERION = lambda t: t.criterion.pk  # noqa: E731

CASES = [
    C("profiles:profile-detail", page("profiles:profile-detail"), VIEWERS, setup=profile_world),
    C("profiles:response-edit", page("profiles:response-edit", CRITERION), VIEWERS,
      setup=profile_world),
    C("profiles:response-edit", page("profiles:response-edit", CRITERION), EDITORS,
      method="post", setup=profile_world, data=_answer_form),
    C("profiles:response-grid", page("profiles:response-grid"), EDITORS, setup=profile_world),
    C("profiles:response-row", page("profiles:response-row", CRITERION), EDITORS,
      method="post", setup=profile_world,
      data=lambda t: {"status": "partly", "version": t.response.version}),
    C("profiles:response-bulk", page("profiles:response-bulk"), EDITORS, method="post",
      setup=profile_world,
      data=lambda t: {"bulk-scope": "selected", "bulk-status": "partly",
                     "criteria": [t.criterion.pk]}),
    C("profiles:evidence-upload", page("profiles:evidence-upload", CRITERION), EDITORS,
      method="post", setup=profile_world, data=lambda t: {"title": "Policy", "file": pdf()}),
    C("profiles:evidence-version-upload",
      page("profiles:evidence-version-upload", lambda t: t.evidence.pk), EDITORS,
      method="post", setup=evidence_world, data=lambda t: {"file": pdf()}),
    C("profiles:evidence-download",
      page("profiles:evidence-download", lambda t: t.evidence_file.pk), VIEWERS,
      setup=evidence_world),
    C("profiles:gap-report", page("profiles:gap-report"), VIEWERS, setup=profile_world),
    C("profiles:profile-versions", page("profiles:profile-versions"), VIEWERS, setup=profile_world),
    C("profiles:profile-export", page("profiles:profile-export", "gaps", "xlsx"), VIEWERS,
      setup=profile_world),
    C("profiles:submission-create", page("profiles:submission-create"), SIGNERS,
      setup=profile_world),
    # The officer's POST is answered by the MFA re-check first.
    C("profiles:submission-create", page("profiles:submission-create"), SIGNERS,
      method="post", setup=profile_world,
      data=lambda t: {"full_name": "Dana Price", "title": "COO", "attest": "on"}),
    C("profiles:submission-list", page("profiles:submission-list"), VIEWERS,
      setup=submission_world),
    C("profiles:submission-detail", page("profiles:submission-detail", 1), VIEWERS,
      setup=submission_world),
    C("profiles:submission-diff", page("profiles:submission-diff"), VIEWERS,
      setup=submission_world),
    C("profiles:annual-review", page("profiles:annual-review"), VIEWERS, setup=profile_world),
    C("profiles:annual-review", page("profiles:annual-review"), SIGNERS, method="post",
      setup=profile_world, data=lambda t: {"attest": "on"}),
    # API
    C("api:securityprofile-list", api("api:securityprofile-list"), ANY_USER, api=True),
    C("api:securityprofile-list", api("api:securityprofile-list"), EDITORS, api=True,
      method="post", setup=profile_world, data=lambda t: {"company": t.company.pk}, ok=(200,)),
    C("api:securityprofile-readiness",
      api("api:securityprofile-readiness", lambda t: t.profile.pk), VIEWERS, api=True,
      setup=profile_world),
    # The officer gets past the permission check to a 400 for the wrong code.
    C("api:securityprofile-submit", api("api:securityprofile-submit", lambda t: t.profile.pk),
      SIGNERS, api=True, method="post", setup=profile_world, ok=(400,),
      data=lambda t: {"full_name": "Dana", "title": "COO", "attest": True, "otp_code": "000000"}),
    C("api:securityprofile-bulk-answers",
      api("api:securityprofile-bulk-answers", lambda t: t.profile.pk), EDITORS, api=True,
      method="post", setup=profile_world,
      data=lambda t: {"criteria": [t.criterion.pk], "status": "partly"}),
    C("api:securityprofile-review-no-change",
      api("api:securityprofile-review-no-change", lambda t: t.profile.pk), SIGNERS, api=True,
      method="post", setup=profile_world, ok=(400,),
      data=lambda t: {"attest": True, "otp_code": "0"}),
    C("api:securityprofile-detail", api("api:securityprofile-detail", lambda t: t.profile.pk),
      VIEWERS, api=True, setup=profile_world),
    C("api:response-list", api("api:response-list"), ANY_USER, api=True),
    C("api:response-detail", api("api:response-detail", lambda t: t.response.pk), VIEWERS,
      api=True, setup=profile_world),
    C("api:response-detail", api("api:response-detail", lambda t: t.response.pk), EDITORS,
      api=True, method="patch", setup=profile_world,
      data=lambda t: {"narrative": "API", "version": t.response.version}),
    C("api:evidence-list", api("api:evidence-list"), ANY_USER, api=True),
    C("api:evidence-detail", api("api:evidence-detail", lambda t: t.evidence.pk), VIEWERS,
      api=True, setup=evidence_world),
    C("api:evidence-detail", api("api:evidence-detail", lambda t: t.evidence.pk), EDITORS,
      api=True, method="patch", setup=evidence_world, data=lambda t: {"title": "Renamed"}),
    C("api:evidencefile-list", api("api:evidencefile-list"), ANY_USER, api=True),
    C("api:evidencefile-detail", api("api:evidencefile-detail", lambda t: t.evidence_file.pk),
      VIEWERS, api=True, setup=evidence_world),
    C("api:evidencefile-download",
      api("api:evidencefile-download", lambda t: t.evidence_file.pk), VIEWERS, api=True,
      setup=evidence_world),
    C("api:submission-list", api("api:submission-list"), ANY_USER, api=True),
    C("api:submission-detail",
      api("api:submission-detail", lambda t: t.profile.submissions.first().pk),
      VIEWERS, api=True, setup=submission_world),
    C("api:submission-diff",
      api("api:submission-diff", lambda t: t.profile.submissions.order_by("number").last().pk),
      VIEWERS, api=True, setup=submission_world),
]  # fmt: skip
