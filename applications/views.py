"""The application page (completeness checklist, then signature and snapshot) and the
partner-agreement signing page."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.reauth import ask_for_mfa, mfa_recently_confirmed
from applications import workflow
from applications.forms import SignForm
from applications.models import Application, ApplicationEvent, ChecklistItem, current_agreement
from applications.readable import readable_snapshot
from companies.context_processors import remember_company
from companies.models import Company, Membership
from core.clientip import client_address
from core.http import AuthenticatedHttpRequest
from core.refusals import Refused
from core.tenancy import get_for_user_or_404

if TYPE_CHECKING:
    pass


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
        "events": _readable_events(application),
        "snapshot_json": json.dumps(application.snapshot, indent=2, ensure_ascii=False),
        "snapshot": readable_snapshot(application.snapshot) if application.snapshot else None,
    }
    return render(request, "applications/application_detail.html", context)


def _readable_events(application: Application) -> list[ApplicationEvent]:
    """The history with status labels instead of codes and "—" for a missing side."""
    if not application.pk:
        return []
    labels = dict(Application.Status.choices)
    events = {workflow.SUBMIT: _("Partner agreement signed, application submitted")}
    rows = list(ApplicationEvent.objects.filter(application=application).select_related("actor"))
    for row in rows:
        row.from_label = str(labels.get(row.from_status, row.from_status or "—"))  # type: ignore[attr-defined]
        row.to_label = str(labels.get(row.to_status, row.to_status or "—"))  # type: ignore[attr-defined]
        row.event_label = str(events.get(row.event, row.event))  # type: ignore[attr-defined]
    return rows


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
            ip_address=client_address(request),
        )
        try:
            workflow.sign_and_submit(company, request.user, signing)
        except workflow.AlreadySubmitted:
            messages.info(request, _("This application was already submitted."))
            return redirect(detail_url)
        except workflow.ApplicationIncomplete as exc:
            messages.error(request, str(exc))
            return _sign_page(request, company, None, exc.missing)
        except Refused as exc:
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
