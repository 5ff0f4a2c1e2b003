"""The eligibility wizard: step 1 confirms the business type, step 2 asks the questions
that apply, and the result says whether the company qualifies and what to do if not."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from companies.context_processors import remember_company
from companies.models import Company
from core import idempotency
from core.http import AuthenticatedHttpRequest
from core.tenancy import get_for_user_or_404
from eligibility.forms import AnswersForm, CompanyTypeForm, ProfileForm
from eligibility.models import EligibilityCheck
from eligibility.workflow import applicable_questions, run_check


def _may_edit(request: AuthenticatedHttpRequest, company: Company) -> bool:
    return Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists()


@login_required
def check(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The wizard's start page: past checks, and step 1 for people who may edit."""
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    remember_company(request, company)
    may_edit = action == "edit" or _may_edit(request, company)
    form = CompanyTypeForm(request.POST or None, instance=company) if may_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            messages.success(request, _("The company's business type and country were updated."))
        query = urlencode(
            {
                "business_type": company.business_type,
                "business_subtype": company.business_subtype,
                "country": company.country.code,
            }
        )
        return redirect(reverse("eligibility:check-answers", args=[company.pk]) + "?" + query)
    history = (
        EligibilityCheck.objects.for_user(request.user, "view")
        .filter(company_id=company_pk)
        .select_related("created_by")
    )
    return render(
        request,
        "eligibility/check_start.html",
        {"company": company, "form": form, "history": history},
    )


@login_required
def check_answers(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Step 2: the questions for the business type chosen in step 1."""
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    data = request.POST if request.method == "POST" else request.GET
    profile = ProfileForm.for_company(company, data)
    if not profile.is_valid():
        return render(
            request,
            "eligibility/check_answers.html",
            {"company": company, "profile": profile, "form": None},
            status=400,
        )
    questions = applicable_questions(
        profile.cleaned_data["business_type"],
        profile.cleaned_data["business_subtype"],
        profile.cleaned_data["country"],
    )
    form = AnswersForm(questions, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            result = run_check(
                company,
                request.user,
                answers=form.answers(),
                business_type=profile.cleaned_data["business_type"],
                subtype=profile.cleaned_data["business_subtype"],
                country=profile.cleaned_data["country"],
            )
            idempotency.done(claimed, result.get_absolute_url())
        return redirect(result)
    return render(
        request,
        "eligibility/check_answers.html",
        {"company": company, "profile": profile.hidden(), "form": form},
    )


@login_required
def check_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """The result of one check: the verdict, each disqualifying answer with why it matters
    and what to do, the concerns, and the identifiers the business type needs."""
    result = get_for_user_or_404(
        EligibilityCheck.objects.select_related("company", "created_by"),
        request.user,
        "view",
        pk=pk,
        company_id=company_pk,
    )
    return render(
        request,
        "eligibility/check_detail.html",
        {
            "company": result.company,
            "result": result,
            "may_edit": _may_edit(request, result.company),
            "identifiers": result.identifier_requirements(),
        },
    )
