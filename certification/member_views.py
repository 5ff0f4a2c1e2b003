"""The member's side of the program office's work, in the company workspace: the account's
status, tier and clocks; the security-profile criteria the specialist rejected, answered
one by one and sent back together; the validation reports' required actions.

Readers see everything; only the company's editors write (404 for anyone else, as
everywhere). The program office reads these pages and never writes on them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import workflow
from certification.forms import (
    AppealForm,
    DocumentForm,
    ReportResponseForm,
    SuspensionResponseForm,
)
from certification.models import (
    Certification,
    CertificationEvent,
    CriterionReview,
    ValidationReport,
)
from certification.workflow import TransitionNotAllowed
from companies.models import Company
from core.http import AuthenticatedHttpRequest
from core.tenancy import get_for_user_or_404, roles_allowing


def _certification(company: Company) -> Certification | None:
    return Certification.objects.filter(company=company).select_related("assigned_to").first()


def _may_edit(request: AuthenticatedHttpRequest, company: Company) -> bool:
    return company.role_of(request.user) in roles_allowing("edit")


def _reviews(certification: Certification | None) -> list[CriterionReview]:
    if certification is None:
        return []
    return list(certification.criterion_reviews.filter(accepted=False).select_related("criterion"))


@login_required
def member_status(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The account's CTPAT status and tier, its running clocks and what waits on the member."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    certification = _certification(company)
    reviews = _reviews(certification)
    context = {
        "company": company,
        "certification": certification,
        "to_answer": sum(1 for r in reviews if r.awaiting_member),
        "sent": sum(1 for r in reviews if r.awaiting_rereview),
        "reports": (
            certification.validation_reports.filter(status="approved").order_by("-decided_at")
            if certification
            else []
        ),
        "today": timezone.localdate(),
        "may_respond": company.role_of(request.user) in roles_allowing("manage"),
        "may_sign": company.role_of(request.user) in roles_allowing("sign"),
        "response_form": ReportResponseForm(),
        "suspension_form": SuspensionResponseForm(),
        "appeal_form": AppealForm(),
        "appealable": _appealable(certification),
        "appeals": certification.appeals.all() if certification else [],
        "annual": _annual_cycle(company),
        "documents": (
            certification.documents.select_related("uploaded_by") if certification else []
        ),
        "document_form": DocumentForm(),
        "may_upload": _may_edit(request, company)
        and certification is not None
        and certification.status != "draft",
    }
    return render(request, "certification/member_status.html", context)


@login_required
@require_POST
def member_document_upload(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The member's editors send a document to the program office on the case."""
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    certification = _certification(company)
    back = reverse("certification_member:status", args=[company.pk]) + "#documents"
    if certification is None:
        messages.error(request, _("The company has not applied yet."))
        return redirect(back)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}: {error}"
                )
        return redirect(back)
    data = form.cleaned_data
    try:
        document = workflow.upload_document(
            certification, data["file"], by=request.user, title=data["title"], note=data["note"]
        )
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” version %(version)s sent to the program office.")
            % {"title": document.title, "version": document.version},
        )
    return redirect(back)


def _appealable(certification: Certification | None) -> list[tuple[CertificationEvent, Any]]:
    """The latest decision that may be appealed and not yet appealed, with its window."""
    if certification is None:
        return []
    decision = (
        certification.events.filter(transition__in=workflow.APPEALABLE)
        .order_by("-created_at")
        .first()
    )
    if decision is None or decision.appeals.exists():
        return []
    return [(decision, workflow.appeal_window(decision)[1])]


def _annual_cycle(company: Company) -> Any:
    """The annual security-profile review of this year, as the profile pages count it."""
    from profiles.annual import current_cycle

    return current_cycle(company)


def _review_page(
    request: AuthenticatedHttpRequest, company: Company, *, status: int = 200
) -> HttpResponse:
    certification = _certification(company)
    reviews = _reviews(certification)
    context = {
        "company": company,
        "certification": certification,
        "reviews": reviews,
        "open": [r for r in reviews if r.awaiting_member],
        "may_edit": _may_edit(request, company),
    }
    return render(request, "certification/member_profile_review.html", context, status=status)


@login_required
def member_profile_review(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The criteria the specialist rejected, each with the comment, a link to the answer
    and evidence in the security profile, and the member's note."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    return _review_page(request, company)


@login_required
@require_POST
def member_review_note(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """Save the note on one rejected criterion (HTMX swaps the row; without HTMX the page
    reloads)."""
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    review = get_object_or_404(
        CriterionReview.objects.select_related("criterion", "certification__company"),
        certification__company=company,
        pk=pk,
    )
    error = ""
    try:
        workflow.save_criterion_note(review, by=request.user, note=request.POST.get("note", ""))
    except TransitionNotAllowed as exc:
        error = str(exc)
    if getattr(request, "htmx", False):
        context = {
            "company": company,
            "r": review,
            "may_edit": True,
            "error": error,
            "saved": not error,
        }
        return render(request, "certification/_member_review_row.html", context)
    if error:
        messages.error(request, error)
    return redirect(reverse("certification_member:profile-review", args=[company.pk]))


@login_required
@require_POST
def member_review_send(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    certification = _certification(company)
    try:
        if certification is None:
            raise TransitionNotAllowed(_("No rejected criterion is waiting for an answer."))
        sent = workflow.send_profile_response(certification, by=request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return _review_page(request, company, status=400)
    messages.success(
        request,
        _("Response sent to the program office (%(count)s criteria).") % {"count": sent},
    )
    return redirect(reverse("certification_member:profile-review", args=[company.pk]))


@login_required
@require_POST
def member_report_respond(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    """The officer or an administrator answers an approved report's required actions
    within the response window."""
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    report = get_object_or_404(
        ValidationReport, certification__company=company, status="approved", pk=pk
    )
    form = ReportResponseForm(request.POST)
    try:
        if not form.is_valid():
            raise TransitionNotAllowed(_("response: describe how each required action was met."))
        workflow.respond_to_report(report, by=request.user, response=form.cleaned_data["response"])
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Response sent to the program office."))
    return redirect(reverse("certification_member:status", args=[company.pk]))


def _status_page(company: Company) -> HttpResponse:
    return redirect(reverse("certification_member:status", args=[company.pk]))


@login_required
@require_POST
def member_suspension_respond(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The company officer answers the suspension letter within its 90-day window."""
    company = get_for_user_or_404(Company, request.user, "sign", pk=company_pk)
    certification = get_object_or_404(Certification, company=company)
    form = SuspensionResponseForm(request.POST)
    try:
        if not form.is_valid():
            raise TransitionNotAllowed(_("response: describe the corrective actions."))
        workflow.respond_to_suspension(
            certification, by=request.user, response=form.cleaned_data["response"]
        )
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Response sent to the program office."))
    return _status_page(company)


@login_required
@require_POST
def member_appeal_file(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """The company officer appeals a decision within its window (30 or 90 days)."""
    company = get_for_user_or_404(Company, request.user, "sign", pk=company_pk)
    event = get_object_or_404(
        CertificationEvent,
        certification__company=company,
        transition__in=workflow.APPEALABLE,
        pk=pk,
    )
    form = AppealForm(request.POST)
    try:
        if not form.is_valid():
            raise TransitionNotAllowed(_("grounds: say why the decision should change."))
        appeal = workflow.file_appeal(event, by=request.user, grounds=form.cleaned_data["grounds"])
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Appeal filed; the decision is due by %(date)s.")
            % {"date": appeal.decision_due().isoformat()},
        )
    return _status_page(company)
