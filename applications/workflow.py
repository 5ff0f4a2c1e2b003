"""Signing the partner agreement, which submits the application.

The page and the API both call `sign_and_submit`; they only translate its exceptions into
a form error or an HTTP status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import (
    AgreementSignature,
    Application,
    ApplicationEvent,
    ChecklistItem,
    agreement_text,
    current_agreement,
)
from certification.workflow import application_submitted
from companies.models import Company
from core.refusals import NotAllowed, NotAnOfficer

if TYPE_CHECKING:
    from accounts.models import User

SUBMIT = "submit"


class SigningRefused(NotAllowed):
    """The agreement cannot be signed; the message says why."""

    code = "signing_refused"


class AlreadySubmitted(SigningRefused):
    code = "already_submitted"

    def __init__(self, application: Application) -> None:
        super().__init__(_("This application was already submitted."))
        self.application = application


class ApplicationIncomplete(SigningRefused):
    code = "application_incomplete"
    status = 400  # the caller can complete the application and send the same request again

    def __init__(self, missing: list[ChecklistItem]) -> None:
        lines = "; ".join(f"{item.label}: {item.missing}" for item in missing)
        super().__init__(
            _("The agreement can be signed once the application is complete. %(lines)s")
            % {"lines": lines}
        )
        self.missing = missing


class AgreementMismatch(SigningRefused):
    """The text the signer saw is not the published text they claim to sign."""

    code = "agreement_mismatch"
    status = 400


@dataclass(frozen=True)
class Signing:
    """What the signer typed and saw, and where the request came from."""

    full_name: str
    title: str
    agreement_version: int
    language: str
    shown_sha256: str
    ip_address: str | None


def sign_and_submit(company: Company, user: User, signing: Signing) -> Application:
    """Record the officer's signature and submit the application, all or nothing.

    The application row is locked for the whole transaction, so of two concurrent
    requests (a double click, a retried POST) the second waits, then finds the application
    submitted and raises AlreadySubmitted: one signature, one event.
    """
    if not Company.objects.for_user(user, "sign").filter(pk=company.pk).exists():
        raise NotAnOfficer(_("Only a company officer can sign the partner agreement."))
    try:
        agreement = agreement_text(signing.agreement_version, signing.language)
    except LookupError as exc:
        raise AgreementMismatch(
            _("There is no published agreement version %(version)s in language “%(lang)s”.")
            % {"version": signing.agreement_version, "lang": signing.language}
        ) from exc
    if agreement.version != current_agreement(agreement.language).version:
        raise AgreementMismatch(
            _("A newer version of the agreement was published; read it and sign that one.")
        )
    if agreement.sha256 != signing.shown_sha256:
        raise AgreementMismatch(
            _("The agreement text changed after it was shown; read it again, then sign.")
        )
    draft = Application.start(company)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=draft.pk)
        if not application.is_draft:
            raise AlreadySubmitted(application)
        missing = application.missing_items()
        if missing:
            raise ApplicationIncomplete(missing)
        now = timezone.now()
        AgreementSignature.objects.create(
            application=application,
            signer=user,
            full_name=signing.full_name,
            title=signing.title,
            signed_at=now,
            ip_address=signing.ip_address,
            agreement_version=agreement.version,
            language=agreement.language,
            text_sha256=agreement.sha256,
        )
        application.status = Application.Status.SUBMITTED
        application.submitted_at = now
        application.snapshot = application.build_snapshot()
        application.save(update_fields=["status", "submitted_at", "snapshot", "updated_at"])
        # The program office's lifecycle starts here: the account moves draft → applied.
        application_submitted(company, by=user)
        ApplicationEvent.objects.create(
            application=application,
            from_status=Application.Status.DRAFT,
            to_status=Application.Status.SUBMITTED,
            event=SUBMIT,
            actor=user,
            note=_("Partner agreement v%(version)s signed by %(name)s, %(title)s.")
            % {"version": agreement.version, "name": signing.full_name, "title": signing.title},
        )
    return application
