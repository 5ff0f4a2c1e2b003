"""Status verification pages: one page per company (consent, settings, search, requests,
monitored partners, notices, certificate e-mail) and the public certificate check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Company
from core.http import AuthenticatedHttpRequest
from core.tenancy import get_for_user_or_404
from verification import forms as f
from verification import workflow
from verification.models import Consent, MonitoringRequest, StatusNotice
from verification.workflow import VerificationRefused


def _home(company: Company) -> str:
    return reverse("verification:company-detail", args=[company.pk])


@login_required
def company_detail(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    query = request.GET.get("q", "")
    monitored = MonitoringRequest.objects.filter(requester=company).select_related(
        "partner__certification"
    )
    context: dict[str, Any] = {
        "company": company,
        "consent": Consent.objects.filter(company=company).first(),
        "consent_form": f.ConsentForm(),
        "certificate_form": f.CertificateForm(),
        "query": query,
        "results": workflow.search(company, query),
        "monitored": monitored,
        "incoming": MonitoringRequest.objects.filter(partner=company).select_related("requester"),
        "notices": StatusNotice.objects.filter(company=company).select_related("partner")[:20],
    }
    return render(request, "verification/company_detail.html", context)


@login_required
@require_POST
def consent_sign(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "sign", pk=company_pk)
    form = f.ConsentForm(request.POST)
    if form.is_valid():
        workflow.sign_consent(
            company,
            by=request.user,
            name=form.cleaned_data["name"],
            title=form.cleaned_data["title"],
        )
        messages.success(request, _("Your company joined status verification."))
    else:
        messages.error(
            request, _("Type your full name and title and tick the consent box to sign.")
        )
    return redirect(_home(company))


@login_required
@require_POST
def consent_settings(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    form = f.SettingsForm(request.POST)
    if form.is_valid():
        workflow.set_auto_accept(company, accept=form.cleaned_data["auto_accept"])
    return redirect(_home(company))


@login_required
@require_POST
def request_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    form = f.RequestForm(request.POST)
    try:
        if not form.is_valid():
            raise VerificationRefused(_("partner: choose a member from the search results."))
        workflow.request_monitoring(company, form.cleaned_data["partner"], by=request.user)
    except VerificationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Monitoring request sent."))
    return redirect(_home(company))


@login_required
@require_POST
def request_decide(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    monitoring = get_object_or_404(MonitoringRequest, partner=company, pk=pk)
    form = f.DecisionForm(request.POST)
    if form.is_valid():
        workflow.decide_request(monitoring, by=request.user, accept=form.cleaned_data["accept"])
    return redirect(_home(company))


@login_required
@require_POST
def certificate_email(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    form = f.CertificateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("email: enter a valid e-mail address, e.g. name@example.com."))
        return redirect(_home(company))
    try:
        workflow.send_certificate(
            company,
            by=request.user,
            email=form.cleaned_data["email"],
            base_url=request.build_absolute_uri("/")[:-1],
        )
    except VerificationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Certificate sent."))
    return redirect(_home(company))


def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what a non-member sees when following a certificate link."""
    company = workflow.company_from_link(token)
    card = workflow.StatusCard.of(company) if company is not None else None
    return render(
        request,
        "verification/certificate_verify.html",
        {"card": card, "company": company},
        status=200 if card else 404,
    )
