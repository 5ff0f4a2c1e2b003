"""Inspection pages: the list, the phone form (which also takes the offline queue's
resends), the record with its sign-off and PDF sheet, own checklists, the gate log and the
operations figures."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from companies.context_processors import remember_company
from companies.models import Company
from core.http import AuthenticatedHttpRequest
from core.lists import Listing, ListSpec, col, list_page, render_list
from core.pdf import pdf_response
from core.tenancy import get_for_user_or_404
from inspections import kpis
from inspections.checklists import builtin
from inspections.filters import GateEntryFilter, InspectionFilter
from inspections.forms import (
    ChecklistTemplateForm,
    GateEntryForm,
    InspectionForm,
    SheetEmailForm,
    SignOffForm,
    error_summary,
)
from inspections.models import (
    GATE_ENTRY_FIELDS,
    ChecklistTemplate,
    GateEntry,
    Inspection,
    checklist_for,
)
from inspections.sheet import sheet_context, sheet_filename
from inspections.workflow import record_gate_entry, record_inspection, send_inspection_sheet


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


INSPECTION_FIELDS = (
    "pk",
    "company_id",
    "iit_number",
    "checklist_name",
    "checklist_key",
    "direction",
    "performed_at",
    "points_failed",
    "points_open",
    "pest_found",
    "pest_checked",
    "vvtt_done",
    "signed_off_at",
)


def _form_errors(form: Any) -> dict[str, Any]:
    """The JSON refusal: messages by field name (for scripts) and the summary the phone
    shows, worded with the fields' labels in the user's language."""
    return {
        "errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
        "summary": error_summary(form),
    }


INSPECTIONS = ListSpec(
    InspectionFilter,
    [
        col("performed_at", _l("Date and time")),
        col("iit_number", _l("Container / trailer")),
        col("checklist_name", _l("Checklist")),
        col("direction", _l("Movement")),
        col("result", _l("Result"), sortable=False),
        col("signed_off_at", _l("Signed off")),
    ],
    default_sort=("-performed_at",),
    csv=[
        "performed_at",
        "iit_number",
        "checklist_key",
        "checklist_name",
        "direction",
        ("complete", "is_complete"),
        "passed",
        "points_failed",
        "points_open",
        "signed_off_at",
    ],
    empty_text=_l("No inspections yet."),
    count=False,  # a log of 200,000 rows: newer / older links, never a COUNT
)


@login_required
def inspection_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    remember_company(request, company)
    inspections = Inspection.objects.for_user(request.user, "view").filter(company=company)
    return render_list(
        request,
        INSPECTIONS,
        inspections.only(*INSPECTION_FIELDS),
        "inspections/inspection_list.html",
        {"company": company, "checklists": _checklists(company)},
        filename=f"inspections-{company.pk}.csv",
    )


def _checklists(company: Company) -> list[tuple[str, str]]:
    own = [(c.key, c.name) for c in company.checklists.filter(active=True)]
    return [(key, c.name) for key, c in builtin().items()] + own


@login_required
def inspection_create(
    request: AuthenticatedHttpRequest, company_pk: int, checklist: str
) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    found = checklist_for(company, checklist)
    if found is None:
        raise Http404
    form = InspectionForm(
        _posted(request),
        request.FILES or None,
        company=company,
        checklist=found,
        initial={
            "performed_at": timezone.localtime().replace(second=0, microsecond=0),
            "client_key": uuid.uuid4(),
        },
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                recorded = record_inspection(
                    company,
                    found,
                    client_key=form.cleaned_data["client_key"],
                    fields=form.record_fields(),
                    answers=form.answers(),
                    inspector=request.user,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                url = recorded.inspection.get_absolute_url()
                if _wants_json(request):
                    return JsonResponse(
                        {"url": url, "created": recorded.created},
                        status=201 if recorded.created else 200,
                    )
                if recorded.created:
                    messages.success(request, _("Inspection saved."))
                return redirect(url)
        if _wants_json(request):
            return JsonResponse(_form_errors(form), status=400)
    return render(
        request,
        "inspections/inspection_form.html",
        {"company": company, "form": form, "checklist": found},
    )


# A phone shows at most this many matches under a search-as-you-type box.
LOOKUP_LIMIT = 20


@login_required
def inspection_lookup(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The latest inspections whose container / trailer number contains what was typed,
    for a form's inspection box (HTMX)."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    query = request.GET.get("q", "").strip()
    found = (
        Inspection.objects.filter(company=company, iit_number__icontains=query).order_by(
            "-performed_at", "-pk"
        )[:LOOKUP_LIMIT]
        if query
        else Inspection.objects.none()
    )
    return render(request, "inspections/inspection_lookup.html", {"found": found, "q": query})


@login_required
def inspection_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    inspection = get_for_user_or_404(
        Inspection.objects.select_related("company", "inspector", "supervisor", "location"),
        request.user,
        "view",
        company_id=company_pk,
        pk=pk,
    )
    can_sign = (
        inspection.signed_off_at is None
        and inspection.inspector_id != request.user.pk
        and Company.objects.for_user(request.user, "manage").filter(pk=company_pk).exists()
    )
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "company": inspection.company,
            "inspection": inspection,
            "results": inspection.results.all(),
            "can_sign": can_sign,
            "email_form": SheetEmailForm(initial={"language": translation.get_language()}),
            "can_report": Company.objects.for_user(request.user, "edit")
            .filter(pk=company_pk)
            .exists(),
        },
    )


@login_required
@require_POST
def inspection_signoff(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    inspection = get_for_user_or_404(
        Inspection, request.user, "manage", company_id=company_pk, pk=pk
    )
    form = SignOffForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(inspection)
    try:
        inspection.sign_off(request.user, form.cleaned_data["signature"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Inspection signed off."))
    return redirect(inspection)


@login_required
@require_POST
def inspection_email(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """Send the printable sheet to the addresses given, in the background."""
    inspection = get_for_user_or_404(Inspection, request.user, "edit", company_id=company_pk, pk=pk)
    form = SheetEmailForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(inspection)
    recipients = form.cleaned_data["recipients"]
    send_inspection_sheet(inspection, recipients, form.cleaned_data["language"], by=request.user)
    messages.success(
        request,
        _("The inspection sheet is being sent to %(recipients)s.")
        % {"recipients": ", ".join(recipients)},
    )
    return redirect(inspection)


@login_required
def inspection_pdf(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    inspection = get_for_user_or_404(
        Inspection.objects.select_related("company", "inspector", "supervisor", "location"),
        request.user,
        "view",
        company_id=company_pk,
        pk=pk,
    )
    return pdf_response(
        "inspections/inspection_sheet.html",
        sheet_context(inspection),
        request,
        sheet_filename(inspection),
    )


@login_required
def checklist_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    action = "manage" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    form = ChecklistTemplateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        template: ChecklistTemplate = form.save(commit=False)
        template.company = company
        template.save()
        messages.success(request, _("Checklist saved."))
        return redirect("inspections:checklist-list", company_pk=company.pk)
    return render(
        request,
        "inspections/checklist_list.html",
        {
            "company": company,
            "form": form,
            "builtin": builtin().values(),
            "own": company.checklists.all(),
        },
    )


INSPECTED = ("inspection", "inspection.performed_at")
GATE_LOG = ListSpec(
    GateEntryFilter,
    [
        col("at", _l("Date and time")),
        col("direction", _l("In / out")),
        col("driver_name", _l("Driver")),
        col("plates", _l("Plates"), "tractor_plate", "trailer_plate"),
        col("iit_number", _l("Container / trailer")),
        col("seal_number", _l("Seal")),
        col("inspection", _l("Inspection"), sortable=False),
    ],
    default_sort=("-at",),
    # The inspection by the time it was done, not by its database id.
    csv=["at", *(INSPECTED if f == "inspection" else f for f in GATE_ENTRY_FIELDS)],
    empty_text=_l("No entries yet."),
    count=False,  # a log that grows every day: newer / older links, never a COUNT
)


@login_required
def gate_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    form = GateEntryForm(_posted(request), company=company)
    if request.method == "POST":
        if form.is_valid():
            try:
                entry, created = record_gate_entry(
                    company,
                    client_key=form.cleaned_data["client_key"],
                    fields=form.record_fields(),
                    by=request.user,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                url = reverse("inspections:gate-list", args=[company.pk])
                if _wants_json(request):
                    return JsonResponse(
                        {"url": url, "created": created}, status=201 if created else 200
                    )
                if created:
                    messages.success(request, _("Gate entry saved."))
                return redirect(url)
        if _wants_json(request):
            return JsonResponse(_form_errors(form), status=400)
    entries = GateEntry.objects.for_user(request.user, "view").filter(company=company)
    listing = list_page(
        request,
        GATE_LOG,
        entries.select_related("inspection"),
        filename=f"gate-log-{company.pk}.csv",
    )
    if not isinstance(listing, Listing):
        return listing  # the CSV
    return render(
        request,
        "inspections/gate_list.html",
        {"company": company, "form": form, "listing": listing},
    )


@login_required
def operations_kpis(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    today = timezone.localdate()
    months = kpis.monthly(company, end=today, months=12)
    return render(
        request,
        "inspections/operations_kpis.html",
        {
            "company": company,
            "months": months,
            "today": today,
            "chart": kpis.chart_data(months),
            "labels": {
                "complete_share": _("Outbound loads with a complete inspection (%)"),
                "seal_discrepancies": _("Seal discrepancies"),
                "pest_findings": _("Pest findings"),
                "missed_signoffs": _("Missed sign-offs"),
                "goal": _("Goal: every outbound load"),
            },
        },
    )
