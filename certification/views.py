"""Program-office pages: the review queue and dashboard, and one account's page with its
lifecycle steps, vetting, profile review, validation reports and appeals. Every page
answers 404 to anyone outside the program office."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from catalogue.models import Criterion
from certification import deadlines, workflow
from certification import forms as f
from certification.choices import AppealOutcome, Finding, ReportStatus, State
from certification.filters import CertificationFilter
from certification.models import (
    Appeal,
    Certification,
    ValidationReport,
    VettingCheck,
    WorksheetEntry,
)
from certification.workflow import TransitionNotAllowed
from core import idempotency
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from profiles.models import SecurityProfile

UPCOMING_DAYS = 90


def _office(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_program_office:
        raise Http404


def _certification(request: AuthenticatedHttpRequest, pk: int) -> Certification:
    _office(request)
    return get_object_or_404(Certification.objects.select_related("company", "assigned_to"), pk=pk)


QUEUE = ListSpec(
    CertificationFilter,
    [
        col("account", _l("Account"), "company__pk"),
        col("company", _l("Company"), "company__legal_name"),
        col("status", _l("Status")),
        col("assigned_to", _l("Specialist"), "assigned_to__email"),
        col("applied_at", _l("Certify by (90-day SLA)")),
        col("responded", _l("Profile review")),
    ],
    default_sort=("applied_at",),
    csv=[
        ("account", "company.account_number"),
        ("company", "company.legal_name"),
        "status",
        ("specialist", "assigned_to.email"),
        ("certify_by", "certification_due"),
        "sla_breached",
    ],
    empty_text=_l("No application is waiting."),
    hide=("company", "assigned_to"),  # the page offers "assigned to me" instead
)


@login_required
def certification_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The work queue and dashboard: applications to review (with their SLA clock),
    SLA breaches, suspensions awaiting a response, appeals, validations coming due."""
    _office(request)
    workflow.sync_submitted_applications()
    today = timezone.localdate()
    everyone = Certification.objects.select_related("company", "assigned_to")
    responded = Count(
        "criterion_reviews",
        filter=Q(criterion_reviews__accepted=False, criterion_reviews__responded_at__isnull=False),
    )
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    validations = [
        c
        for c in everyone.filter(status__in=[State.CERTIFIED, State.VALIDATED])
        if (due := c.validation_due()) is not None and due <= horizon
    ]
    validations.sort(key=lambda c: c.validation_due() or today)
    context = {
        "suspended": everyone.filter(status=State.SUSPENDED),
        "appeals": Appeal.objects.filter(outcome=AppealOutcome.PENDING).select_related(
            "certification__company"
        ),
        "validations": validations,
        "reports": ValidationReport.objects.filter(status=ReportStatus.SUBMITTED).select_related(
            "certification__company", "drafted_by"
        ),
        "responses": everyone.annotate(responded=responded)
        .filter(responded__gt=0)
        .exclude(status__in=[State.APPLIED, State.UNDER_REVIEW]),
        "today": today,
    }
    queue = (
        Certification.objects.in_review_queue()
        .for_user(request.user, "view")
        .select_related("company", "assigned_to")
        .annotate(responded=responded)
    )
    template = "certification/certification_list.html"
    return render_list(request, QUEUE, queue, template, context, filename="review-queue.csv")


def _annual_cycle(certification: Certification) -> Any:
    """This year's annual security-profile review, once the member is certified."""
    if certification.certified_at is None:
        return None
    from profiles.annual import current_cycle

    return current_cycle(certification.company)


def _render_detail(
    request: AuthenticatedHttpRequest, certification: Certification, **forms: Any
) -> HttpResponse:
    transitions = workflow.allowed_transitions(certification, request.user)
    context = {
        "certification": certification,
        "company": certification.company,
        "events": certification.events.select_related("actor"),
        "vetting": certification.vetting.select_related("checked_by", "override_by"),
        "screening": certification.vetting.filter(item="list_screening").first(),
        "reviews": certification.criterion_reviews.select_related("criterion", "reviewer"),
        # Which catalogue version the member's profile answers (it moves explicitly).
        "member_profile": SecurityProfile.current_for(certification.company),
        "reports": certification.validation_reports.select_related("drafted_by", "decided_by"),
        "appeals": certification.appeals.all(),
        "transition_form": forms.get("transition_form")
        or f.TransitionForm(transitions=transitions),
        "vetting_form": forms.get("vetting_form") or f.VettingForm(),
        "override_form": f.OverrideForm(),
        "review_form": forms.get("review_form") or f.CriterionReviewForm(),
        "report_form": forms.get("report_form") or f.ReportForm(),
        "decision_form": f.DecisionForm(),
        "annual": _annual_cycle(certification),
        "today": timezone.localdate(),
    }
    return render(request, "certification/certification_detail.html", context)


@login_required
def certification_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _certification(request, pk))


@login_required
@require_POST
def certification_transition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    certification = _certification(request, pk)
    form = f.TransitionForm(
        request.POST, transitions=workflow.allowed_transitions(certification, request.user)
    )
    if form.is_valid():
        try:
            workflow.perform(
                form.cleaned_data["transition"],
                certification,
                by=request.user,
                reason=form.cleaned_data["reason"],
                **form.details(),
            )
        except TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Done."))
            return redirect(certification)
    return _render_detail(request, certification, transition_form=form)


@login_required
@require_POST
def certification_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    certification = _certification(request, pk)
    workflow.assign(certification, request.user, by=request.user)
    messages.success(request, _("The review is assigned to you."))
    return redirect(certification)


@login_required
@require_POST
def vetting_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    certification = _certification(request, pk)
    form = f.VettingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workflow.record_vetting(
                certification, data["item"], data["outcome"], by=request.user, note=data["note"]
            )
        except TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(certification)
    return _render_detail(request, certification, vetting_form=form)


@login_required
@require_POST
def vetting_screen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Run the list screening of the vetting checklist through the screening engine."""
    certification = _certification(request, pk)
    try:
        check = workflow.screen_for_vetting(certification, by=request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("List screening done: %(alerts)s of %(names)s names have a hit to review.")
            % {"alerts": check.screening_alerts, "names": len(check.screening_results)},
        )
    return redirect(certification)


@login_required
@require_POST
def vetting_override(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office(request)
    check = get_object_or_404(VettingCheck, pk=pk)
    form = f.OverrideForm(request.POST)
    if form.is_valid():
        try:
            workflow.override_vetting(
                check, by=request.user, reason=form.cleaned_data["override_reason"]
            )
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("override_reason: say why the item is overridden."))
    return redirect(check.certification)


@login_required
@require_POST
def criterion_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    certification = _certification(request, pk)
    form = f.CriterionReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workflow.review_criterion(
                certification,
                data["criterion"],
                accepted=data["accepted"],
                by=request.user,
                comment=data["comment"],
            )
        except TransitionNotAllowed as exc:
            form.add_error("comment", str(exc))
        else:
            return redirect(certification)
    return _render_detail(request, certification, review_form=form)


@login_required
@require_POST
def report_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    certification = _certification(request, pk)
    if replayed := idempotency.replay(request):
        return replayed
    form = f.ReportForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                report = form.save(commit=False)
                report.certification = certification
                workflow.plan_report(report, by=request.user)
                # "Plan with a worksheet" keeps the report a draft; the worksheet page
                # submits it once every observation is in.
                draft = "draft" in request.POST
                target = worksheet_url(report) if draft else certification.get_absolute_url()
                if not draft:
                    workflow.submit_report(report, by=request.user)
                idempotency.done(claimed, target)
        except TransitionNotAllowed as exc:
            form.add_error("tier_outcome", str(exc))
        else:
            if draft:
                messages.success(request, _("Validation planned; record the worksheet."))
                return redirect(target)
            messages.success(request, _("Report submitted for supervisor approval."))
            return redirect(certification)
    return _render_detail(request, certification, report_form=form)


@login_required
@require_POST
def report_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office(request)
    report = get_object_or_404(ValidationReport, pk=pk)
    form = f.DecisionForm(request.POST)
    if form.is_valid():
        try:
            workflow.decide_report(
                report,
                by=request.user,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("approve: choose approve or return."))
    return redirect(report.certification)


@login_required
@require_POST
def appeal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office(request)
    appeal = get_object_or_404(Appeal, pk=pk)
    form = f.DecisionForm(request.POST)
    if form.is_valid():
        try:
            workflow.decide_appeal(
                appeal,
                by=request.user,
                reverse=not form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
    return redirect(appeal.certification)


@login_required
def deadline_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every deadline of every company the user works for in one list (a consultant sees
    all clients; the program office sees every account)."""
    today = timezone.localdate()
    accounts = deadlines.with_clocks(Certification.objects.for_user(request.user, "view"))
    items = [(d, d.days_left(today)) for d in deadlines.deadlines(accounts, today)]
    return render(request, "certification/deadline_list.html", {"items": items, "today": today})


@login_required
@require_POST
def report_accept_response(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office(request)
    report = get_object_or_404(ValidationReport, pk=pk)
    try:
        workflow.accept_report_response(report, by=request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    return redirect(report.certification)


def worksheet_url(report: ValidationReport) -> str:
    return reverse("certification:validationreport-worksheet", args=[report.pk])


def _report(request: AuthenticatedHttpRequest, pk: int) -> ValidationReport:
    _office(request)
    return get_object_or_404(
        ValidationReport.objects.select_related("certification__company", "drafted_by"), pk=pk
    )


@dataclass
class WorksheetRow:
    criterion: Criterion
    entry: WorksheetEntry | None
    form: f.WorksheetEntryForm
    error: str = ""
    saved: bool = False


def _row(
    report: ValidationReport, criterion: Criterion, entry: WorksheetEntry | None, **extra: Any
) -> WorksheetRow:
    initial = (
        {"observation": entry.observation, "finding": entry.finding, "note": entry.note}
        if entry
        else {}
    )
    form = extra.pop("form", None) or f.WorksheetEntryForm(
        initial=initial, prefix=f"c{criterion.pk}"
    )
    return WorksheetRow(criterion, entry, form, **extra)


@login_required
def report_worksheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The validation worksheet: one row per MSC criterion of the member's business type,
    each saved on its own (HTMX), and the submission to the supervisor."""
    report = _report(request, pk)
    entries = {e.criterion_id: e for e in report.worksheet.all()}
    criteria = list(workflow.worksheet_criteria(report))
    rows = [_row(report, c, entries.get(c.pk)) for c in criteria]
    submit_form = f.WorksheetSubmitForm(instance=report)
    if request.method == "POST":
        submit_form = f.WorksheetSubmitForm(request.POST, instance=report)
        if submit_form.is_valid():
            try:
                with transaction.atomic():
                    submit_form.save()
                    workflow.submit_report(report, by=request.user)
            except TransitionNotAllowed as exc:
                submit_form.add_error(None, str(exc))
            else:
                messages.success(request, _("Report submitted for supervisor approval."))
                return redirect(report.certification)
    counts = {
        "done": len(entries),
        "total": len(criteria),
        "required": sum(1 for e in entries.values() if e.finding == Finding.REQUIRED_ACTION),
        "recommended": sum(1 for e in entries.values() if e.finding == Finding.RECOMMENDATION),
    }
    context = {
        "report": report,
        "certification": report.certification,
        "company": report.certification.company,
        "rows": rows,
        "counts": counts,
        "editable": report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED),
        "submit_form": submit_form,
    }
    return render(request, "certification/validationreport_worksheet.html", context)


@login_required
@require_POST
def worksheet_entry(request: AuthenticatedHttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    """Save one worksheet row; HTMX gets the row back, a plain form the whole page."""
    report = _report(request, pk)
    criterion = get_object_or_404(workflow.worksheet_criteria(report), pk=criterion_pk)
    form = f.WorksheetEntryForm(request.POST, prefix=f"c{criterion.pk}")
    error = ""
    entry = report.worksheet.filter(criterion=criterion).first()
    if form.is_valid():
        try:
            entry = workflow.record_worksheet_entry(
                report, criterion, by=request.user, **form.cleaned_data
            )
        except TransitionNotAllowed as exc:
            error = str(exc)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if getattr(request, "htmx", False):
        row = _row(report, criterion, entry, form=form, error=error, saved=not error)
        context = {"row": row, "report": report, "editable": True}
        # 200 even with an error: htmx swaps only successful answers, and the row is
        # where the specialist reads what to fix.
        return render(request, "certification/_worksheet_row.html", context)
    if error:
        messages.error(request, f"{criterion.ref_id}: {error}")
    return redirect(worksheet_url(report))
