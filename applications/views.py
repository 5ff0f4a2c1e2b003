"""The application page (completeness checklist, then signature and snapshot) and the
partner-agreement signing page, plus the two request helpers signing needs: the MFA
re-check and the signer's IP address."""

from __future__ import annotations

import ipaddress
import json
import time
from typing import TYPE_CHECKING, cast

from allauth.account import app_settings as allauth_account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.base.internal.flows import check_rate_limit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from applications import workflow
from applications.forms import SignForm
from applications.models import Application, ApplicationEvent, ChecklistItem, current_agreement
from companies.context_processors import remember_company
from companies.models import Company, Membership
from core.http import AuthenticatedHttpRequest
from core.tenancy import get_for_user_or_404

if TYPE_CHECKING:
    from accounts.models import User


@login_required
def application_detail(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    remember_company(request, company)
    may_edit = Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists()
    # Members who work on the company start the draft; readers (viewers, program office)
    # see an unsaved one rather than writing to a member's records.
    application = (
        Application.start(company)
        if may_edit
        else (company.current_application() or Application(company=company))
    )
    context = {
        "company": company,
        "application": application,
        "checklist": application.checklist() if application.is_draft else None,
        "can_sign": company.role_of(request.user) == "officer",
        "officers": Membership.objects.filter(company=company, role="officer").select_related(
            "user"
        ),
        "signature": getattr(application, "signature", None) if application.pk else None,
        "events": ApplicationEvent.objects.filter(application=application).select_related("actor")
        if application.pk
        else [],
        "snapshot_json": json.dumps(application.snapshot, indent=2, ensure_ascii=False),
    }
    return render(request, "applications/application_detail.html", context)


@login_required
def application_sign(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "sign", pk=company_pk)
    remember_company(request, company)
    application = Application.start(company)
    detail_url = application.get_absolute_url()
    if not application.is_draft:
        # A repeated submission of the form lands here: the first one already signed.
        messages.info(request, _("This application was already submitted."))
        return redirect(detail_url)
    missing = application.missing_items()
    if missing:
        if request.method == "POST":
            messages.error(request, str(workflow.ApplicationIncomplete(missing)))
        return _sign_page(request, company, None, missing)
    if not mfa_recently_confirmed(request):
        return ask_for_mfa(request)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        signing = workflow.Signing(
            full_name=data["full_name"],
            title=data["title"],
            agreement_version=data["agreement_version"],
            language=data["language"],
            shown_sha256=data["agreement_sha256"],
            ip_address=client_ip(request),
        )
        try:
            workflow.sign_and_submit(company, request.user, signing)
        except workflow.AlreadySubmitted:
            messages.info(request, _("This application was already submitted."))
            return redirect(detail_url)
        except workflow.ApplicationIncomplete as exc:
            messages.error(request, str(exc))
            return _sign_page(request, company, None, exc.missing)
        except workflow.SigningRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Agreement signed. The application was submitted."))
            return redirect(detail_url)
    return _sign_page(request, company, form, [])


def _sign_page(
    request: HttpRequest, company: Company, form: SignForm | None, missing: list[ChecklistItem]
) -> HttpResponse:
    """The agreement text and, when the application is complete, the form to sign it.

    The hidden fields always name the text on this page, so what is signed is what was read.
    """
    language = str(request.POST.get("language") or get_language())
    agreement = current_agreement(language)
    shown = {
        "agreement_version": agreement.version,
        "language": agreement.language,
        "agreement_sha256": agreement.sha256,
    }
    if form is not None and form.is_bound:
        form.data = {**dict(form.data.items()), **{k: str(v) for k, v in shown.items()}}
    elif form is not None:
        form.initial = shown
    context = {"company": company, "agreement": agreement, "form": form, "missing": missing}
    return render(request, "applications/application_sign.html", context)


# ---------------------------------------------------------------------------------------
# Request helpers shared with the API.


def mfa_recently_confirmed(request: HttpRequest) -> bool:
    """True when the user re-entered a second-factor code on allauth's MFA re-authentication
    page within ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. The code typed at sign-in does not
    count: signing asks again, as a bank asks again before a transfer."""
    records = get_authentication_records(request, request.user)
    now = time.time()
    return any(
        record.get("method") == "mfa"
        and record.get("reauthenticated")
        and now - float(record.get("at", 0)) < allauth_account_settings.REAUTHENTICATION_TIMEOUT
        for record in records
    )


def ask_for_mfa(request: HttpRequest) -> HttpResponseRedirect:
    """Send the user to allauth's MFA re-authentication page and back here afterwards.

    A POST is kept by allauth and replayed once the code is accepted, so the officer does
    not have to fill the form in again."""
    reauthenticate = reverse("mfa_reauthenticate")
    if request.method == "POST":
        return cast(HttpResponseRedirect, suspend_request(request, reauthenticate))
    return HttpResponseRedirect(f"{reauthenticate}?{urlencode({'next': request.get_full_path()})}")


def client_ip(request: HttpRequest) -> str | None:
    """The signer's IP address as recorded with the signature.

    REMOTE_ADDR, unless the portal runs behind its own reverse proxy (BEHIND_TLS_PROXY):
    then the proxy's address is REMOTE_ADDR and the client's is the last X-Forwarded-For
    entry, the one our proxy appended. Earlier entries come from the client and can be
    forged, so they are never used.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops and hops[-1]:
            remote = hops[-1]
    try:
        return str(ipaddress.ip_address(remote)) if remote else None
    except ValueError:
        return None


def totp_code_ok(user: User, code: str) -> bool:
    """Check a code from the user's authenticator app, for API clients that have no session
    to re-authenticate. Failed attempts count towards the same lockout as sign-in
    (ACCOUNT_RATE_LIMITS["login_failed"]); a used code cannot be replayed.

    Raises django.core.exceptions.ValidationError when too many attempts failed."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return False
    clear_failures = check_rate_limit(user)
    if not TOTP(authenticator).validate_code(code.strip()):
        return False
    clear_failures()
    authenticator.record_usage()
    return True
