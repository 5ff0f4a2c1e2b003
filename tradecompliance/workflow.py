"""Every step of CTPAT Trade Compliance, one function each, called by the pages and the API:

- member: `save_answers` (the questionnaire), `attach_evidence` (a forced-labor requirement's
  file), `sign_and_submit` (the company officer's signature), `submit_annual_notification`;
- program office: `start_review`, `approve` (records the benefits), `refuse`.

Each checks, then writes inside one transaction with the application locked; a refusal is
one of `core.refusals` and leaves nothing written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Company
from core.refusals import Invalid, NotAllowed, NotAnOfficer, NotFound
from core.uploads import BY_NAME, DOCUMENTS, attach, store_file
from notices.workflow import notify
from tradecompliance import eligibility
from tradecompliance.catalogue import program
from tradecompliance.models import (
    AnnualNotification,
    Answer,
    ForcedLaborEvidence,
    GrantedBenefit,
    Status,
    TradeComplianceApplication,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

EVIDENCE_KINDS = tuple(BY_NAME[name] for name in DOCUMENTS)


class TradeComplianceRefused(NotAllowed):
    code = "trade_compliance_refused"


class NotEligible(TradeComplianceRefused):
    code = "not_eligible"

    def __init__(self, verdict: eligibility.Verdict) -> None:
        super().__init__(" ".join(verdict.reasons))
        self.reasons = verdict.reasons


class WrongState(TradeComplianceRefused):
    code = "wrong_state"


class Incomplete(Invalid):
    """The application lacks answers or evidence; the message lists them."""

    code = "application_incomplete"

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            _("The application cannot be submitted yet. %(lines)s") % {"lines": " ".join(missing)}
        )
        self.missing = missing


def statement(language: str) -> tuple[str, str]:
    """The text the officer signs, in `language`, and its SHA-256."""
    with translation.override("es" if language.startswith("es") else "en"):
        text = _(
            "On behalf of the company I apply to CTPAT Trade Compliance. I declare that the "
            "answers to the internal-control questionnaire and the forced-labor evidence "
            "attached are true and complete, that the company will keep its internal controls, "
            "test them every year, send the Annual Notification Letter every year and tell CBP "
            "of major organisational changes, and that I am authorised to commit the company."
        )
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_program_office(user: User) -> bool:
    return bool(getattr(user, "program_role", ""))


def open_application(company: Company) -> TradeComplianceApplication | None:
    """The company's application in play (not refused), if any."""
    return (
        TradeComplianceApplication.objects.filter(company=company)
        .exclude(status=Status.REFUSED)
        .first()
    )


def start(company: Company) -> TradeComplianceApplication:
    """The company's application in play, a new draft when there is none; refused with the
    reasons when the company is not eligible."""
    current = open_application(company)
    if current is not None:
        return current
    verdict = eligibility.check(company)
    if not verdict.eligible:
        raise NotEligible(verdict)
    with transaction.atomic():
        Company.objects.select_for_update().get(pk=company.pk)  # one draft of two requests
        return open_application(company) or TradeComplianceApplication.objects.create(
            company=company
        )


def _draft(company: Company) -> TradeComplianceApplication:
    """The company's draft, locked; started when there is none in play."""
    current = start(company)
    locked = TradeComplianceApplication.objects.select_for_update().get(pk=current.pk)
    if not locked.is_draft:
        raise WrongState(
            _("The application was already submitted (status: %(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def check_answers(answers: Any) -> dict[str, dict[str, str]]:
    """The answers in their stored shape; `Invalid` naming the question and the fix."""
    if not isinstance(answers, dict):
        raise Invalid(_("answers: send an object of question key → answer."))
    questions = program()
    clean: dict[str, dict[str, str]] = {}
    for key, value in answers.items():
        question = questions.question(str(key))
        if question is None:
            known = ", ".join(q.key for q in questions.questions)
            raise Invalid(
                _("answers: “%(key)s” is not a question of the questionnaire (known: %(known)s).")
                % {"key": key, "known": known}
            )
        if isinstance(value, str):
            value = {"answer": value}
        if not isinstance(value, dict):
            raise Invalid(_("%(key)s: send “yes” or “no”.") % {"key": key})
        answer = str(value.get("answer", "")).strip().lower()
        explanation = " ".join(str(value.get("explanation", "") or "").split())
        if answer == "":
            continue
        if answer not in Answer.values:
            raise Invalid(
                _("%(key)s: “%(answer)s” is not an answer; send “yes” or “no”.")
                % {"key": key, "answer": answer}
            )
        clean[str(key)] = {"answer": answer, "explanation": explanation}
    return clean


def save_answers(company: Company, answers: Any, *, by: User) -> TradeComplianceApplication:
    """Save (part of) the questionnaire on the company's draft; answers not sent are kept."""
    clean = check_answers(answers)
    with transaction.atomic():
        application = _draft(company)
        application.answers = {**application.answers, **clean}
        application.save(update_fields=["answers", "updated_at"])
    return application


def missing_items(application: TradeComplianceApplication) -> list[str]:
    """What the application still lacks before it can be signed, one sentence each."""
    missing: list[str] = []
    catalogue = program()
    for question in catalogue.questions:
        given = application.answers.get(question.key) or {}
        if not given.get("answer"):
            missing.append(_("Answer: “%(text)s”.") % {"text": question.text})
        elif given["answer"] == Answer.NO and not given.get("explanation"):
            missing.append(_("Explain the “No” to: “%(text)s”.") % {"text": question.text})
    held = set(
        ForcedLaborEvidence.objects.filter(company_id=application.company_id).values_list(
            "requirement", flat=True
        )
    )
    for requirement in catalogue.requirements:
        if requirement.key not in held:
            missing.append(
                _("Attach evidence for the forced-labor requirement “%(title)s”.")
                % {"title": requirement.title}
            )
    return missing


def attach_evidence(
    company: Company, requirement: str, upload: UploadedFile[bytes], *, by: User, note: str = ""
) -> ForcedLaborEvidence:
    """Store one file backing a forced-labor requirement (checked by `core.uploads`)."""
    if program().requirement(requirement) is None:
        raise Invalid(
            _("requirement: “%(key)s” is not a forced-labor requirement.") % {"key": requirement}
        )

    def write(stored: str, checked: Any) -> ForcedLaborEvidence:
        evidence = ForcedLaborEvidence(company=company, requirement=requirement)
        attach(evidence, stored, checked, uploaded_by=by, note=note.strip())
        evidence.save()
        return evidence

    return store_file(upload, f"tradecompliance/{company.pk}", write, EVIDENCE_KINDS)


@dataclass(frozen=True)
class Signing:
    full_name: str
    title: str
    language: str
    shown_sha256: str
    ip_address: str | None


def sign_and_submit(company: Company, user: User, signing: Signing) -> TradeComplianceApplication:
    """The company officer signs the application, which submits it to the program office."""
    if not Company.objects.for_user(user, "sign").filter(pk=company.pk).exists():
        raise NotAnOfficer(_("Only a company officer can sign the Trade Compliance application."))
    verdict = eligibility.check(company)
    if not verdict.eligible:
        raise NotEligible(verdict)
    text, sha = statement(signing.language)
    if sha != signing.shown_sha256:
        raise Invalid(
            _("The statement changed after it was shown; read it again, then sign."),
            code="statement_mismatch",
        )
    if not signing.full_name.strip() or not signing.title.strip():
        raise Invalid(_("Type your full name and your title to sign."))
    with transaction.atomic():
        application = _draft(company)
        missing = missing_items(application)
        if missing:
            raise Incomplete(missing)
        now = timezone.now()
        application.status = Status.SUBMITTED
        application.signer = user
        application.signer_name = " ".join(signing.full_name.split())
        application.signer_title = " ".join(signing.title.split())
        application.signed_at = now
        application.signed_ip = signing.ip_address
        application.statement_sha256 = sha
        application.statement_language = "es" if signing.language.startswith("es") else "en"
        application.submitted_at = now
        application.save()
    return application


def _office_step(
    application: TradeComplianceApplication, by: User, allowed: tuple[str, ...]
) -> TradeComplianceApplication:
    if not _is_program_office(by):
        raise NotFound()
    locked = TradeComplianceApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status not in allowed:
        raise WrongState(
            _("This step is not possible while the application is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


def start_review(
    application: TradeComplianceApplication, *, by: User
) -> TradeComplianceApplication:
    """A program-office specialist takes the submitted application for review."""
    with transaction.atomic():
        locked = _office_step(application, by, (Status.SUBMITTED,))
        locked.status = Status.UNDER_REVIEW
        locked.reviewer = by
        locked.review_started_at = timezone.now()
        locked.save()
    return locked


def approve(
    application: TradeComplianceApplication, *, by: User, note: str = ""
) -> TradeComplianceApplication:
    """Approve the application: the company becomes a Trade Compliance partner, its benefits
    are recorded and its first Annual Notification Letter falls due a year later. The
    certification is checked again: a suspension since the signature blocks approval."""
    with transaction.atomic():
        locked = _office_step(application, by, (Status.UNDER_REVIEW,))
        verdict = eligibility.check(locked.company)
        if not verdict.eligible:
            raise NotEligible(verdict)
        now = timezone.now()
        today = timezone.localdate(now)
        locked.status = Status.APPROVED
        locked.decided_by = by
        locked.decided_at = now
        locked.decision_note = note.strip()
        locked.approved_on = today
        locked.save()
        held = set(
            GrantedBenefit.objects.filter(company_id=locked.company_id).values_list(
                "benefit", flat=True
            )
        )
        for benefit in program().benefits:
            if benefit.key not in held:
                GrantedBenefit.objects.create(
                    company_id=locked.company_id,
                    benefit=benefit.key,
                    application=locked,
                    granted_on=today,
                )
        notify(
            "trade_compliance_approved",
            f"{locked.pk}:approved",
            company=locked.company,
            url=locked.get_absolute_url(),
            title=gettext_lazy("%(name)s is a CTPAT Trade Compliance partner"),
            params={"name": locked.company.legal_name},
            body=gettext_lazy(
                "The program office approved the Trade Compliance application. The program's "
                "benefits are recorded on the company; the Annual Notification Letter is due "
                "every year on the anniversary of the approval."
            ),
        )
    return locked


def refuse(
    application: TradeComplianceApplication, *, by: User, reason: str
) -> TradeComplianceApplication:
    """Refuse the application, saying why; the company may apply again."""
    reason = reason.strip()
    if not reason:
        raise Invalid(_("reason: say why the application is refused; the company reads it."))
    with transaction.atomic():
        locked = _office_step(application, by, (Status.SUBMITTED, Status.UNDER_REVIEW))
        locked.status = Status.REFUSED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = reason
        locked.save()
        notify(
            "trade_compliance_refused",
            f"{locked.pk}:refused",
            company=locked.company,
            url=locked.get_absolute_url(),
            title=gettext_lazy("The Trade Compliance application of %(name)s was refused"),
            params={"name": locked.company.legal_name, "reason": reason},
            body=gettext_lazy("The program office refused the application: %(reason)s"),
        )
    return locked


def approved_application(company: Company) -> TradeComplianceApplication | None:
    return TradeComplianceApplication.objects.filter(
        company=company, status=Status.APPROVED
    ).first()


def next_letter(company: Company) -> tuple[int, Any] | None:
    """(membership year, due date) of the next Annual Notification Letter, or None while
    the company is not a Trade Compliance partner."""
    application = approved_application(company)
    if application is None:
        return None
    last = AnnualNotification.objects.filter(company=company).aggregate(m=Max("cycle"))["m"] or 0
    return last + 1, application.anl_due(last + 1)


@dataclass(frozen=True)
class Letter:
    still_meets_requirements: bool
    self_testing: str
    organisational_changes: str
    contact_changes: str
    full_name: str
    title: str


def submit_annual_notification(company: Company, letter: Letter, *, by: User) -> AnnualNotification:
    """Send the Annual Notification Letter of the next membership year."""
    if not Company.objects.for_user(by, "manage").filter(pk=company.pk).exists():
        raise NotFound()
    if not letter.still_meets_requirements:
        raise Invalid(
            _(
                "still_meets_requirements: the letter confirms the company still meets the "
                "program's requirements; if it does not, tell the program office instead."
            )
        )
    if not letter.self_testing.strip():
        raise Invalid(_("self_testing: describe the self-testing done this year."))
    if not letter.full_name.strip() or not letter.title.strip():
        raise Invalid(_("Type your full name and your title to sign the letter."))
    with transaction.atomic():
        application = (
            TradeComplianceApplication.objects.select_for_update()
            .filter(company=company, status=Status.APPROVED)
            .first()
        )
        if application is None:
            raise WrongState(
                _(
                    "The Annual Notification Letter is sent once the company is a Trade "
                    "Compliance partner."
                )
            )
        last = (
            AnnualNotification.objects.filter(company=company).aggregate(m=Max("cycle"))["m"] or 0
        )
        cycle = last + 1
        due = application.anl_due(cycle)
        assert due is not None  # approved applications have an approval date
        return AnnualNotification.objects.create(
            company=company,
            cycle=cycle,
            due_on=due,
            still_meets_requirements=True,
            self_testing=letter.self_testing.strip(),
            organisational_changes=letter.organisational_changes.strip(),
            contact_changes=letter.contact_changes.strip(),
            signer=by,
            signer_name=" ".join(letter.full_name.split()),
            signer_title=" ".join(letter.title.split()),
            submitted_at=timezone.now(),
        )
