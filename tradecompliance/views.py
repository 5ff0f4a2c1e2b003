"""Trade Compliance pages: the member's workspace (eligibility, questionnaire, forced-labor
evidence, signature, Annual Notification Letters, benefits) and the program office's list
and decision page. Every change goes through `tradecompliance.workflow`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from accounts.reauth import ask_for_mfa, mfa_recently_confirmed
from companies.context_processors import remember_company
from companies.models import Company
from core import idempotency
from core.clientip import client_address
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.refusals import Refused, show
from core.tenancy import get_for_user_or_404
from tradecompliance import eligibility, workflow
from tradecompliance.catalogue import program
from tradecompliance.filters import ApplicationFilter
from tradecompliance.forms import (
    DecisionForm,
    EvidenceForm,
    LetterForm,
    QuestionnaireForm,
    RefuseForm,
    SignForm,
)
from tradecompliance.models import (
    AnnualNotification,
    ForcedLaborEvidence,
    GrantedBenefit,
    Status,
    TradeComplianceApplication,
)


def _may(request: AuthenticatedHttpRequest, company: Company, action: str) -> bool:
    return Company.objects.for_user(request.user, action).filter(pk=company.pk).exists()


def _requirements(company: Company) -> list[dict[str, Any]]:
    files = list(ForcedLaborEvidence.objects.filter(company=company).select_related("uploaded_by"))
    return [
        {"requirement": r, "files": [f for f in files if f.requirement == r.key]}
        for r in program().requirements
    ]


def _answers(application: TradeComplianceApplication | None) -> list[dict[str, Any]]:
    answers = application.answers if application else {}
    return [
        {"question": q, **(answers.get(q.key) or {"answer": "", "explanation": ""})}
        for q in program().questions
    ]


def _benefits(company: Company) -> list[dict[str, Any]]:
    rows = GrantedBenefit.objects.filter(company=company)
    catalogue = program()
    return [{"row": row, "benefit": catalogue.benefit(row.benefit)} for row in rows]


@login_required
def overview(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    remember_company(request, company)
    application = workflow.open_application(company)
    last_refused = (
        TradeComplianceApplication.objects.filter(company=company, status=Status.REFUSED).first()
        if application is None
        else None
    )
    context = {
        "company": company,
        "verdict": eligibility.check(company),
        "application": application,
        "last_refused": last_refused,
        "missing": workflow.missing_items(application)
        if application and application.is_draft
        else [],
        "answers": _answers(application),
        "requirements": _requirements(company),
        "letters": AnnualNotification.objects.filter(company=company),
        "next_letter": workflow.next_letter(company),
        "benefits": _benefits(company),
        "catalogue_benefits": program().benefits,
        "may_edit": _may(request, company, "edit"),
        "may_sign": _may(request, company, "sign"),
        "may_manage": _may(request, company, "manage"),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "tradecompliance/overview.html", context)


@login_required
def questionnaire(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    remember_company(request, company)
    application = workflow.open_application(company)
    if application is not None and not application.is_draft:
        messages.info(
            request, _("The application was already submitted; its answers are kept as signed.")
        )
        return redirect("tradecompliance:overview", company.pk)
    form = QuestionnaireForm(
        request.POST or None, answers=application.answers if application else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save_answers(company, form.answers(), by=request.user)
        except Refused as exc:
            show(request, exc, form)
        else:
            messages.success(request, _("Answers saved."))
            return redirect("tradecompliance:overview", company.pk)
    return render(request, "tradecompliance/questionnaire.html", {"company": company, "form": form})


@login_required
def evidence_upload(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    remember_company(request, company)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        initial={"requirement": request.GET.get("requirement", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                workflow.attach_evidence(
                    company,
                    form.cleaned_data["requirement"],
                    form.cleaned_data["file"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
                target = _overview_url(company) + "#forced-labor"
                idempotency.done(claimed, target)
        except ValidationError as exc:
            form.add_error("file", exc)
        except Refused as exc:
            show(request, exc, form)
        else:
            messages.success(request, _("Evidence attached."))
            return redirect(target)
    return render(
        request, "tradecompliance/evidence_upload.html", {"company": company, "form": form}
    )


def _overview_url(company: Company) -> str:
    from django.urls import reverse

    return reverse("tradecompliance:overview", args=[company.pk])


@login_required
def sign(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "sign", pk=company_pk)
    remember_company(request, company)
    application = workflow.open_application(company)
    if application is not None and not application.is_draft:
        messages.info(request, _("The application was already submitted."))
        return redirect("tradecompliance:overview", company.pk)
    verdict = eligibility.check(company)
    missing = (
        workflow.missing_items(application)
        if application
        else workflow.missing_items(TradeComplianceApplication(company=company))
    )
    if verdict.eligible and not missing and not mfa_recently_confirmed(request):
        return ask_for_mfa(request)
    language = str(request.POST.get("language") or get_language() or "en")
    text, sha = workflow.statement(language)
    form = SignForm(request.POST or None, initial={"language": language, "statement_sha256": sha})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        signing = workflow.Signing(
            full_name=data["full_name"],
            title=data["title"],
            language=data["language"],
            shown_sha256=data["statement_sha256"],
            ip_address=client_address(request),
        )
        try:
            workflow.sign_and_submit(company, request.user, signing)
        except Refused as exc:
            show(request, exc, form)
        else:
            messages.success(request, _("Signed. The application was sent to the program office."))
            return redirect("tradecompliance:overview", company.pk)
    context = {
        "company": company,
        "verdict": verdict,
        "missing": missing,
        "statement": text,
        "statement_sha256": sha,
        "form": form if verdict.eligible and not missing else None,
    }
    return render(request, "tradecompliance/sign.html", context)


@login_required
def anl(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    remember_company(request, company)
    upcoming = workflow.next_letter(company)
    form = LetterForm(request.POST or None) if upcoming else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        letter = workflow.Letter(
            still_meets_requirements=data["still_meets_requirements"],
            self_testing=data["self_testing"],
            organisational_changes=data["organisational_changes"],
            contact_changes=data["contact_changes"],
            full_name=data["full_name"],
            title=data["title"],
        )
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                workflow.submit_annual_notification(company, letter, by=request.user)
                idempotency.done(claimed, _overview_url(company))
        except Refused as exc:
            show(request, exc, form)
        else:
            messages.success(request, _("Annual Notification Letter sent."))
            return redirect("tradecompliance:overview", company.pk)
    context = {
        "company": company,
        "upcoming": upcoming,
        "form": form,
        "letters": AnnualNotification.objects.filter(company=company),
    }
    return render(request, "tradecompliance/anl.html", context)


# The program office.


def _office(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_program_office:
        raise Http404


OFFICE_LIST = ListSpec(
    ApplicationFilter,
    [
        col("company", _l("Company"), "company__legal_name"),
        col("status", _l("Status")),
        col("submitted_at", _l("Submitted")),
        col("decided_at", _l("Decided")),
    ],
    default_sort=("-submitted_at",),
    csv=[("company", "company.legal_name"), "status", "submitted_at", "decided_at", "approved_on"],
    empty_text=_l("No Trade Compliance application yet."),
)


@login_required
def office_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _office(request)
    queryset = (
        TradeComplianceApplication.objects.for_user(request.user, "view")
        .exclude(status=Status.DRAFT)
        .select_related("company")
    )
    return render_list(
        request,
        OFFICE_LIST,
        queryset,
        "tradecompliance/office_list.html",
        {},
        filename="trade-compliance-applications.csv",
    )


def _application(request: AuthenticatedHttpRequest, pk: int) -> TradeComplianceApplication:
    _office(request)
    return get_object_or_404(
        TradeComplianceApplication.objects.exclude(status=Status.DRAFT).select_related(
            "company", "reviewer", "decided_by", "signer"
        ),
        pk=pk,
    )


@login_required
def office_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    company = application.company
    context = {
        "application": application,
        "company": company,
        "verdict": eligibility.check(company),
        "answers": _answers(application),
        "requirements": _requirements(company),
        "letters": AnnualNotification.objects.filter(company=company),
        "benefits": _benefits(company),
        "decision_form": DecisionForm(),
        "refuse_form": RefuseForm(),
    }
    return render(request, "tradecompliance/office_detail.html", context)


def _step(request: AuthenticatedHttpRequest, pk: int, do: Any, done: str) -> HttpResponse:
    application = _application(request, pk)
    try:
        do(application)
    except Refused as exc:
        show(request, exc)
    else:
        messages.success(request, done)
    return redirect("tradecompliance_office:application-detail", application.pk)


@login_required
@require_POST
def office_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, lambda a: workflow.start_review(a, by=request.user), _("Review started.")
    )


@login_required
@require_POST
def office_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _step(
        request,
        pk,
        lambda a: workflow.approve(a, by=request.user, note=note),
        _("Application approved; the benefits are recorded on the company."),
    )


@login_required
@require_POST
def office_refuse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reason = str(request.POST.get("reason", ""))
    return _step(
        request,
        pk,
        lambda a: workflow.refuse(a, by=request.user, reason=reason),
        _("Application refused; the company can read why."),
    )
