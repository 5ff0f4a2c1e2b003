"""Program-office pages: the review queue and dashboard, and one account's page with its
lifecycle steps, vetting, profile review, validation reports and appeals. Every page
answers 404 to anyone outside the program office."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from catalogue.models import Criterion
from certification import answers as answer_rows
from certification import deadlines, workflow, workspace
from certification import forms as f
from certification.choices import AppealOutcome, Finding, Observation, ReportStatus, State
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
    request: AuthenticatedHttpRequest,
    certification: Certification,
    tab: str | None = None,
    **forms: Any,
) -> HttpResponse:
    """The case workspace: the header with every running clock, and one tab of the case
    with only the actions this state and this role allow."""
    tab = workspace.tab_of(tab or request.GET.get("tab"), certification)
    reports = list(
        certification.validation_reports.select_related("drafted_by", "decided_by").order_by(
            "-created_at", "-pk"
        )
    )
    appeals = list(certification.appeals.all())
    events = list(certification.events.select_related("actor"))
    can = workspace.actions_for(certification, request.user, reports)
    context: dict[str, Any] = {
        "certification": certification,
        "company": certification.company,
        "tab": tab,
        "tabs": workspace.TABS,
        "can": can,
        "steps": can.steps.get(tab, []),
        "waiting": can.waiting.get(tab),
        "clocks": workspace.clocks(certification, reports, appeals, events),
        "reports": reports,
        "appeals": appeals,
        "events": events,
        "step_error": forms.get("step_error"),
        "today": timezone.localdate(),
        "annual": _annual_cycle(certification),
    }
    if tab in ("application", "review"):
        context["member_profile"] = SecurityProfile.current_for(certification.company)
    if tab == "vetting":
        vetting = list(certification.vetting.select_related("checked_by", "override_by"))
        context["vetting"] = vetting
        context["screening"] = next((v for v in vetting if v.item == "list_screening"), None)
        context["vetting_form"] = forms.get("vetting_form") or f.VettingForm()
        context["override_form"] = f.OverrideForm()
    if tab == "review":
        context.update(review_context(certification, request))
    if tab == "validation":
        context["report_form"] = forms.get("report_form") or f.ReportForm()
        context["decision_form"] = f.DecisionForm()
    if tab == "enforcement":
        context["decision_form"] = f.DecisionForm()
    if tab == "documents":
        context["documents"] = certification.documents.select_related("uploaded_by")
        context["document_form"] = forms.get("document_form") or f.DocumentForm()
    if tab == "application":
        context["assign_form"] = f.AssignForm(initial={"specialist": certification.assigned_to_id})
        context["application"] = certification.company.current_application()
    return render(request, "certification/certification_detail.html", context)


def review_context(
    certification: Certification, request: AuthenticatedHttpRequest
) -> dict[str, Any]:
    """The profile review: every criterion of the member's business type with the member's
    answer beside the specialist's decision; `?show=` filters the rows."""
    profile = answer_rows.profile_of(certification)
    criteria = list(answer_rows.criteria_of(certification, profile))
    rows = answer_rows.answers(certification, criteria, profile)
    show = request.GET.get("show", "")
    show = show if show in answer_rows.FILTERS else ""
    return {
        "member_profile": profile,
        "rows": [r for r in rows if r.shown_by(show)],
        "counts": answer_rows.counts(rows),
        "show": show,
        "t": answer_rows.labels(),
        "review_url": reverse("certification:criterionreview-create", args=[certification.pk]),
        "filters": [
            ("", _l("All")),
            ("rejected", _l("Rejected")),
            ("unanswered", _l("Unanswered")),
            ("must", _l("Must")),
        ],
    }


def _tab_url(certification: Certification, tab: str) -> str:
    return f"{certification.get_absolute_url()}?tab={tab}"


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
    name = request.POST.get("transition", "")
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
            return redirect(_tab_url(certification, workspace.STEP_TAB[name]))
    tab = workspace.STEP_TAB.get(name, None)
    errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
    return _render_detail(request, certification, tab, step_error=errors)


@login_required
@require_POST
def certification_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    certification = _certification(request, pk)
    form = f.AssignForm(request.POST)
    specialist = form.cleaned_data["specialist"] if form.is_valid() else None
    try:
        workflow.assign(certification, specialist or request.user, by=request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        if specialist is None or specialist == request.user:
            messages.success(request, _("The review is assigned to you."))
        else:
            messages.success(request, _("The case is assigned to %(who)s.") % {"who": specialist})
    return redirect(_tab_url(certification, "application"))


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
            return redirect(_tab_url(certification, "vetting"))
    return _render_detail(request, certification, "vetting", vetting_form=form)


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
    return redirect(_tab_url(certification, "vetting"))


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
    return redirect(_tab_url(check.certification, "vetting"))


@login_required
@require_POST
def criterion_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the decision on one criterion; HTMX gets the criterion's row back and the
    counters out of band, a plain form the review tab."""
    certification = _certification(request, pk)
    form = f.CriterionReviewForm(request.POST)
    error = ""
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
            error = str(exc)
            form.add_error("comment", error)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if getattr(request, "htmx", False) and form.is_valid():
        profile = answer_rows.profile_of(certification)
        criteria = list(answer_rows.criteria_of(certification, profile))
        rows = answer_rows.answers(certification, criteria, profile)
        row = next((r for r in rows if r.criterion.pk == form.cleaned_data["criterion"].pk), None)
        certification.refresh_from_db()
        can = workspace.actions_for(certification, request.user, [])
        if row is None:
            raise Http404
        context = {
            "certification": certification,
            "row": row,
            "error": error,
            "saved": not error,
            "counts": answer_rows.counts(rows),
            "oob": True,
            "can": can,
            # The steps follow the decisions (certify appears once nothing is rejected).
            "steps": can.steps.get("review", []),
            "waiting": can.waiting.get("review"),
            "t": answer_rows.labels(),
            "review_url": reverse("certification:criterionreview-create", args=[certification.pk]),
        }
        return render(request, "certification/_review_card.html", context)
    if not error:
        return redirect(
            _tab_url(certification, "review") + f"#crit-{form.cleaned_data['criterion'].pk}"
        )
    messages.error(request, error)
    return redirect(_tab_url(certification, "review"))


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
            return redirect(_tab_url(certification, "validation"))
    return _render_detail(request, certification, "validation", report_form=form)


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
    return redirect(_tab_url(report.certification, "validation"))


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
    return redirect(_tab_url(appeal.certification, "enforcement"))


DASHBOARD_HORIZON_DAYS = 30


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The program office's dashboard: cases by state, every SLA clock at risk (due within
    30 days or overdue), the workload of each specialist and the reports awaiting a
    supervisor; `?export=csv` gives the clocks at risk as a spreadsheet."""
    from accounts.models import User

    _office(request)
    today = timezone.localdate()
    cases = list(
        Certification.objects.exclude(status=State.DRAFT)
        .select_related("company", "assigned_to")
        .prefetch_related("validation_reports", "appeals", "events")
    )
    by_state = {value: 0 for value in State.values if value != State.DRAFT}
    at_risk: list[tuple[Certification, workspace.Clock]] = []
    load: dict[int | None, dict[str, int]] = {}
    for case in cases:
        by_state[case.status] += 1
        clocks = workspace.clocks(
            case,
            list(case.validation_reports.all()),
            list(case.appeals.all()),
            list(case.events.all()),
            today,
        )
        risky = [c for c in clocks if c.days_left <= DASHBOARD_HORIZON_DAYS]
        at_risk.extend((case, c) for c in risky)
        if case.status in workspace.OPEN_CASE:
            mine = load.setdefault(case.assigned_to_id, {"open": 0, "review": 0, "risk": 0})
            mine["open"] += 1
            mine["review"] += case.status in workspace.IN_REVIEW
            mine["risk"] += bool(risky)
    at_risk.sort(key=lambda pair: pair[1].due)
    if request.GET.get("export") == "csv":
        from core.exports import safe_writer

        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="clocks-at-risk.csv"'
        writer = safe_writer(response)
        writer.writerow(
            [
                "account",
                "company",
                "status",
                "tier",
                "specialist",
                "clock",
                "what",
                "due",
                "days_left",
            ]
        )
        for case, clock in at_risk:
            writer.writerow(
                [
                    case.company.account_number,
                    case.company.legal_name,
                    case.status,
                    case.tier or "",
                    case.assigned_to.email if case.assigned_to else "",
                    clock.key,
                    str(clock.label),
                    clock.due.isoformat(),
                    clock.days_left,
                ]
            )
        return response
    staff = {u.pk: u for u in User.objects.exclude(program_role="").order_by("email")}
    workload = [
        (staff.get(pk) if pk else None, counts)
        for pk, counts in sorted(load.items(), key=lambda kv: -kv[1]["open"])
    ]
    workload += [
        (u, {"open": 0, "review": 0, "risk": 0}) for pk, u in staff.items() if pk not in load
    ]
    context = {
        "by_state": [(State(v).label, v, n) for v, n in by_state.items()],
        "at_risk": at_risk,
        "workload": workload,
        "reports": ValidationReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("certification__company", "drafted_by")
        .order_by("updated_at"),
        "horizon": DASHBOARD_HORIZON_DAYS,
        "today": today,
    }
    return render(request, "certification/certification_dashboard.html", context)


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
    return redirect(_tab_url(report.certification, "validation"))


@login_required
@require_POST
def document_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The program office adds a document (or a new version) to the case."""
    certification = _certification(request, pk)
    form = f.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = workflow.upload_document(
                certification, data["file"], by=request.user, title=data["title"], note=data["note"]
            )
        except TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request,
                _("“%(title)s” version %(version)s uploaded; the member is notified.")
                % {"title": document.title, "version": document.version},
            )
            return redirect(_tab_url(certification, "documents"))
    return _render_detail(request, certification, "documents", document_form=form)


def worksheet_url(report: ValidationReport) -> str:
    return reverse("certification:validationreport-worksheet", args=[report.pk])


def _report(request: AuthenticatedHttpRequest, pk: int) -> ValidationReport:
    _office(request)
    return get_object_or_404(
        ValidationReport.objects.select_related("certification__company", "drafted_by"), pk=pk
    )


@dataclass
class WorksheetRow:
    """One worksheet row as the page draws it: the controls are written in the template
    (not rendered widget by widget: 96 rows of three widgets cost most of the page)."""

    criterion: Criterion
    entry: WorksheetEntry | None
    values: dict[str, str]
    save_url: str = ""
    observation_options: str = ""
    finding_options: str = ""
    error: str = ""
    saved: bool = False
    answer: answer_rows.Answer | None = None


url_maker = answer_rows.url_maker


def _row(
    report: ValidationReport,
    criterion: Criterion,
    entry: WorksheetEntry | None,
    *,
    posted: f.WorksheetEntryForm | None = None,
    save_url: Any = None,
    **extra: Any,
) -> WorksheetRow:
    if posted is not None:
        values = {k: str(posted.data.get(posted.add_prefix(k), "")) for k in posted.fields}
    elif entry:
        values = {"observation": entry.observation, "finding": entry.finding, "note": entry.note}
    else:
        values = {"observation": "", "finding": Finding.NONE, "note": ""}
    url = (save_url or url_maker("certification:worksheetentry-save", report.pk))(criterion.pk)
    return WorksheetRow(criterion, entry, values, url, **extra)


def _options(choices: list[tuple[str, str]], chosen: str) -> str:
    """<option>s of a select, built in Python (96 rows × a template loop is slow)."""
    return mark_safe(  # noqa: S308  (every part is escaped by format_html)
        "".join(
            format_html(
                '<option value="{}"{}>{}</option>',
                value,
                " selected" if value == chosen else "",
                label,
            )
            for value, label in choices
        )
    )


def _with_options(rows: list[WorksheetRow], labels: dict[str, Any]) -> list[WorksheetRow]:
    for row in rows:
        row.observation_options = _options(labels["observation_choices"], row.values["observation"])
        row.finding_options = _options(labels["finding_choices"], row.values["finding"])
    return rows


WORKSHEET_CHOICES: dict[str, list[tuple[str, Any]]] = {
    "observation_choices": [("", "—"), *Observation.choices],
    "finding_choices": list(Finding.choices),
}


def _worksheet_labels() -> dict[str, Any]:
    """The choices and labels every row repeats, translated once per page."""
    return {
        "observation_choices": [
            (v, str(label)) for v, label in WORKSHEET_CHOICES["observation_choices"]
        ],
        "finding_choices": [(v, str(label)) for v, label in WORKSHEET_CHOICES["finding_choices"]],
        "t": answer_rows.labels(),
    }


WORKSHEET_FILTERS = [
    ("", _l("All")),
    ("open", _l("Not recorded")),
    ("rejected", _l("Rejected in review")),
    ("unanswered", _l("Unanswered by the member")),
    ("must", _l("Must")),
]


def _worksheet_counts(report: ValidationReport, total: int) -> dict[str, int]:
    findings = list(report.worksheet.values_list("finding", flat=True))
    return {
        "done": len(findings),
        "total": total,
        "required": findings.count(Finding.REQUIRED_ACTION),
        "recommended": findings.count(Finding.RECOMMENDATION),
    }


@login_required
def report_worksheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The validation worksheet: one row per MSC criterion of the member's business type,
    the member's answer (status, narrative, evidence) beside the team's observation, each
    row saved on its own (HTMX, counters out of band), and the submission."""
    report = _report(request, pk)
    certification = report.certification
    entries = {e.criterion_id: e for e in report.worksheet.all()}
    criteria = list(workflow.worksheet_criteria(report).only(*answer_rows.CRITERION_FIELDS))
    profile = answer_rows.profile_of(certification)
    found = answer_rows.answers(certification, criteria, profile)
    by_pk = {a.criterion.pk: a for a in found}
    show = request.GET.get("show", "")
    show = show if show in {k for k, _label in WORKSHEET_FILTERS} else ""
    save_url = url_maker("certification:worksheetentry-save", report.pk)
    rows = [
        _row(report, c, entries.get(c.pk), answer=by_pk.get(c.pk), save_url=save_url)
        for c in criteria
        if show != "open" or c.pk not in entries
    ]
    if show and show != "open":
        rows = [r for r in rows if r.answer is None or r.answer.shown_by(show)]
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
                return redirect(_tab_url(report.certification, "validation"))
    labels = _worksheet_labels()
    _with_options(rows, labels)
    counts = {
        "done": len(entries),
        "total": len(criteria),
        "required": sum(1 for e in entries.values() if e.finding == Finding.REQUIRED_ACTION),
        "recommended": sum(1 for e in entries.values() if e.finding == Finding.RECOMMENDATION),
    }
    context = {
        "report": report,
        "certification": certification,
        "company": certification.company,
        "member_profile": profile,
        "rows": rows,
        "counts": counts,
        "show": show,
        "filters": WORKSHEET_FILTERS,
        **labels,
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
    form = f.WorksheetEntryForm(request.POST, prefix=f"c{criterion.pk}", ref=criterion.ref_id)
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
        certification = report.certification
        answer = answer_rows.answers(
            certification, [criterion], answer_rows.profile_of(certification)
        )[0]
        row = _row(
            report, criterion, entry, posted=form, error=error, saved=not error, answer=answer
        )
        total = workflow.worksheet_criteria(report).count()
        labels = _worksheet_labels()
        _with_options([row], labels)
        context = {
            "row": row,
            "report": report,
            "certification": certification,
            "editable": True,
            "counts": _worksheet_counts(report, total),
            "oob": True,
            **labels,
        }
        # 200 even with an error: htmx swaps only successful answers, and the row is
        # where the specialist reads what to fix.
        return render(request, "certification/_worksheet_row.html", context)
    if error:
        messages.error(request, f"{criterion.ref_id}: {error}")
    return redirect(worksheet_url(report))
