"""Mock audit pages: the list (and starting an audit), the checklist, recording one
criterion's result (HTMX), photos, and completing the audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from actions.models import CorrectiveAction
from audits import workflow
from audits.choices import FindingResult
from audits.filters import AuditFilter
from audits.forms import AuditForm, CompleteForm, FindingForm, PhotoForm
from audits.models import Finding, FindingPhoto, MockAudit
from catalogue.models import Criterion
from companies.context_processors import remember_company
from companies.models import Company
from core import files, idempotency, refusals
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.refusals import Refused
from core.tenancy import get_for_user_or_404
from profiles.models import Response


def _may_edit(request: AuthenticatedHttpRequest, company: Company) -> bool:
    return Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists()


AUDITS = ListSpec(
    AuditFilter,
    [
        col("title", _l("Audit")),
        col("kind", _l("Kind")),
        col("auditor", _l("Auditor"), "auditor__email"),
        col("created_at", _l("Started")),
        col("status", _l("Status")),
        col("fails", _l("Fail")),
        col("observations", _l("Observation")),
    ],
    default_sort=("-created_at",),
    csv=[
        "title",
        "kind",
        ("auditor", "auditor.email"),
        "created_at",
        "status",
        "fails",
        "observations",
    ],
    empty_text=_l("No audits yet."),
)


@login_required
def audit_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    remember_company(request, company)
    form = AuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                form.instance.company = company
                audit = workflow.start_audit(form.save(commit=False), by=request.user)
                idempotency.done(claimed, audit.get_absolute_url())
        except Refused as refusal:
            refusals.show(request, refusal, form)
        else:
            return redirect(audit)
    audits = (
        MockAudit.objects.for_user(request.user, "view")
        .filter(company=company)
        .select_related("auditor")
        .annotate(
            fails=Count("findings", filter=_result(FindingResult.FAIL)),
            observations=Count("findings", filter=_result(FindingResult.OBSERVATION)),
        )
    )
    context = {"company": company, "form": form, "may_edit": _may_edit(request, company)}
    return render_list(
        request,
        AUDITS,
        audits,
        "audits/audit_list.html",
        context,
        filename=f"audits-{company.pk}.csv",
        status=400 if form.errors else 200,
    )


def _result(value: str) -> Q:
    return Q(findings__result=value)


def _checklist(audit: MockAudit) -> list[dict[str, Any]]:
    """Every criterion of the audited profile with the company's answer and the finding."""
    profile = audit.profile
    criteria = list(profile.catalogue.criteria_for(audit.company.business_type))
    findings = {
        f.criterion_id: f for f in Finding.objects.filter(audit=audit).prefetch_related("photos")
    }
    answers = {
        r.criterion_id: r for r in Response.objects.filter(profile=profile).select_related("owner")
    }
    return [
        {"criterion": c, "finding": findings.get(c.pk), "answer": answers.get(c.pk)}
        for c in criteria
    ]


@login_required
def audit_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    audit = get_for_user_or_404(
        MockAudit.objects.select_related("company", "profile__catalogue", "auditor"),
        request.user,
        "view",
        pk=pk,
        company_id=company_pk,
    )
    items = _checklist(audit)
    counts = {value or "not_checked": 0 for value in FindingResult.values}
    for item in items:
        counts[(item["finding"].result if item["finding"] else "") or "not_checked"] += 1
    context = {
        "company": audit.company,
        "audit": audit,
        "items": items,
        "counts": counts,
        "results": FindingResult.choices,
        "may_edit": _may_edit(request, audit.company) and audit.is_open,
        "complete_form": CompleteForm(),
        "actions": CorrectiveAction.objects.filter(
            company=audit.company,
            source_type__model="finding",
            source_id__in=[i["finding"].pk for i in items if i["finding"]],
        ).select_related("owner"),
    }
    return render(request, "audits/audit_detail.html", context)


@login_required
@require_POST
def finding_edit(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, criterion_pk: int
) -> HttpResponse:
    audit = get_for_user_or_404(
        MockAudit.objects.select_related("company", "profile__catalogue"),
        request.user,
        "edit",
        pk=pk,
        company_id=company_pk,
    )
    criterion = _criterion(audit, criterion_pk)
    form = FindingForm(request.POST)
    finding = Finding.objects.filter(audit=audit, criterion=criterion).first()
    error = None
    if form.is_valid():
        try:
            finding = workflow.record_result(
                audit,
                criterion,
                result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
        except workflow.AuditClosed as exc:
            error = str(exc)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:  # type: ignore[attr-defined]
        answer = Response.objects.filter(profile=audit.profile, criterion=criterion).first()
        context = {
            "company": audit.company,
            "audit": audit,
            "results": FindingResult.choices,
            "item": {"criterion": criterion, "finding": finding, "answer": answer},
            "may_edit": audit.is_open,
            "error": error,
            "saved": error is None,
            "posted": form.data,
        }
        return render(request, "audits/_checklist_row.html", context)
    if error:
        messages.error(request, str(error))
    return redirect(f"{audit.get_absolute_url()}#criterion-{criterion.pk}")


def _criterion(audit: MockAudit, criterion_pk: int) -> Criterion:
    criteria = audit.profile.catalogue.criteria_for(audit.company.business_type)
    return get_object_or_404(criteria, pk=criterion_pk)


@login_required
@require_POST
def photo_upload(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, criterion_pk: int
) -> HttpResponse:
    audit = get_for_user_or_404(
        MockAudit.objects.select_related("company", "profile__catalogue"),
        request.user,
        "edit",
        pk=pk,
        company_id=company_pk,
    )
    criterion = _criterion(audit, criterion_pk)
    form = PhotoForm(request.POST, request.FILES)
    target = f"{audit.get_absolute_url()}#criterion-{criterion.pk}"
    if not audit.is_open:
        messages.error(request, str(workflow.AuditClosed(audit)))
        return redirect(target)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect(target)
    try:
        photo = workflow.add_photo(
            audit, criterion, upload=form.cleaned_data["file"], by=request.user
        )
    except Refused as refusal:
        refusals.show(request, refusal)
        return redirect(target)
    messages.success(request, _("“%(name)s” uploaded.") % {"name": photo.original_name})
    return redirect(target)


@login_required
def photo_download(
    request: AuthenticatedHttpRequest, company_pk: int, photo_pk: int
) -> HttpResponseBase:
    return files.serve_for_user(
        request, FindingPhoto, "file", pk=photo_pk, finding__audit__company_id=company_pk
    )


@login_required
@require_POST
def audit_complete(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    audit = get_for_user_or_404(MockAudit, request.user, "edit", pk=pk, company_id=company_pk)
    form = CompleteForm(request.POST)
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    try:
        created = workflow.complete_audit(audit, request.user, summary)
    except workflow.AuditClosed as exc:
        messages.info(request, str(exc))
    else:
        messages.success(
            request,
            _("Audit completed; %(n)s corrective actions raised.") % {"n": len(created)},
        )
    return redirect(audit)
