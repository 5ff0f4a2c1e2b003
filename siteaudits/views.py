"""Site audit pages: the list (planning a visit, partners due), the audit with its
on-site checklist (one form per item, usable on a phone), photos, completing the audit,
the PDF report in English or Spanish, the partner's link, and the member's own checklists."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from companies.context_processors import remember_company
from companies.models import Company
from core import files, idempotency, refusals
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.pdf import pdf_response
from core.refusals import Refused
from core.siteurl import site_url
from core.tenancy import get_for_user_or_404
from partners.models import BusinessPartner
from siteaudits import checklists, schedule, workflow
from siteaudits.choices import AuditStatus, ItemResult, ReportLanguage, Severity
from siteaudits.filters import SiteAuditFilter
from siteaudits.forms import CompleteForm, ItemForm, OwnChecklistForm, PlanForm
from siteaudits.models import AuditItem, ItemPhoto, OwnChecklist, PartnerReply, SiteAudit


def _may_edit(request: AuthenticatedHttpRequest, company: Company) -> bool:
    return Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists()


AUDITS = ListSpec(
    SiteAuditFilter,
    [
        col("partner", _l("Partner"), "partner__name"),
        col("planned_on", _l("Visit date")),
        col("tier", _l("Tier")),
        col("auditor", _l("Auditor"), "auditor__email"),
        col("status", _l("Status")),
        col("not_met", _l("Not met")),
    ],
    default_sort=("-planned_on",),
    csv=[
        ("partner", "partner.name"),
        "planned_on",
        "tier",
        ("auditor", "auditor.email"),
        "status",
        "not_met",
        "completed_at",
    ],
    empty_text=_l("No site audits yet."),
    # No partner select on the page (a company may have tens of thousands): the search
    # box finds audits by partner name; the API keeps `?partner=`. On this page
    # `?partner=` chooses the partner of the visit to plan.
    hide=("company", "partner"),
)


def _due_partners(company: Company) -> list[tuple[BusinessPartner, Any]]:
    """Partners audited before, with their next due date, soonest first (those with an
    audit planned are left out: the visit is on its way)."""
    completed = Q(site_audits__status=AuditStatus.COMPLETED)
    # Driven from the company's completed audits (a few) rather than its partners (tens
    # of thousands, each looked up in the audits).
    audited = SiteAudit.objects.filter(company=company, status=AuditStatus.COMPLETED)
    partners = (
        BusinessPartner.objects.filter(company=company, pk__in=audited.values("partner_id"))
        .filter(completed)
        .annotate(last=Max("site_audits__completed_at", filter=completed))
        .exclude(site_audits__status__in=[AuditStatus.PLANNED, AuditStatus.IN_PROGRESS])
    )
    rows = []
    for partner in partners:
        due = schedule.next_due(partner.tier, timezone.localdate(partner.last))
        if due is not None:
            rows.append((partner, due))
    return sorted(rows, key=lambda row: (row[1], row[0].name))


@login_required
def audit_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    remember_company(request, company)
    form = PlanForm(request.POST or None, company=company, initial=_plan_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                form.instance.company = company
                audit = workflow.plan_audit(form.save(commit=False), by=request.user)
                idempotency.done(claimed, audit.get_absolute_url())
        except Refused as refusal:
            refusals.show(request, refusal, form)
        else:
            messages.success(request, _("Visit planned; the checklist is ready."))
            return redirect(audit)
    audits = (
        SiteAudit.objects.for_user(request.user, "view")
        .filter(company=company)
        .select_related("partner", "auditor")
        .annotate(not_met=Count("items", filter=Q(items__result=ItemResult.NOT_MET)))
    )
    context = {
        "company": company,
        "form": form,
        "may_edit": _may_edit(request, company),
        "due": _due_partners(company),
        "today": timezone.localdate(),
        "months": {
            "high": schedule.cycle_months("high"),
            "medium": schedule.cycle_months("medium"),
            "low": schedule.cycle_months("low"),
        },
    }
    return render_list(
        request,
        AUDITS,
        audits,
        "siteaudits/audit_list.html",
        context,
        company=company,
        filename=f"site-audits-{company.pk}.csv",
        status=400 if form.errors else 200,
    )


def _plan_initial(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"auditor": request.user.pk}
    if request.GET.get("partner", "").isdigit():
        initial["partner"] = int(request.GET["partner"])
    return initial


def _audit(request: AuthenticatedHttpRequest, company_pk: int, pk: int, action: str) -> SiteAudit:
    return get_for_user_or_404(
        SiteAudit.objects.select_related("company", "partner", "auditor", "completed_by"),
        request.user,
        action,
        pk=pk,
        company_id=company_pk,
    )


def _detail_context(request: AuthenticatedHttpRequest, audit: SiteAudit) -> dict[str, Any]:
    items = list(audit.items.prefetch_related("photos"))
    counts = {value: 0 for value in ["", *ItemResult.values]}
    for item in items:
        counts[item.result] += 1
    actions = list(workflow.actions_of(audit).select_related("owner"))
    replies: dict[int, list[PartnerReply]] = {}
    for answer in PartnerReply.objects.filter(audit=audit):
        replies.setdefault(answer.action_id, []).append(answer)
    spanish = translation.get_language() == "es"
    return {
        "company": audit.company,
        "audit": audit,
        "rows": [(item, item.text_in("es" if spanish else "en")) for item in items],
        "counts": counts,
        "unchecked": counts[""],
        "results": ItemResult.choices,
        "severities": Severity.choices,
        "may_edit": _may_edit(request, audit.company) and audit.is_open,
        "may_manage": _may_edit(request, audit.company),
        "complete_form": CompleteForm(),
        "actions": [(a, replies.get(a.pk, [])) for a in actions],
        "next_due": schedule.next_due(audit.tier, audit.completed_on),
        "languages": ReportLanguage.choices,
    }


@login_required
def audit_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    audit = _audit(request, company_pk, pk, "view")
    context = _detail_context(request, audit)
    token = request.session.pop(f"siteaudit-link-{audit.pk}", "")
    context["link"] = site_url(request) + workflow.link_path(token) if token else ""
    return render(request, "siteaudits/audit_detail.html", context)


@login_required
@require_POST
def item_edit(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, item_pk: int
) -> HttpResponseBase:
    audit = _audit(request, company_pk, pk, "edit")
    item = get_for_user_or_404(AuditItem, request.user, "edit", pk=item_pk, audit=audit)
    form = ItemForm(request.POST, request.FILES)
    target = f"{audit.get_absolute_url()}#item-{item.pk}"
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{item.position}. {label}: {error}")
        return redirect(target)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            workflow.record_item(
                item, result=data["result"], severity=data["severity"], notes=data["notes"],
                by=request.user,
            )  # fmt: skip
            if data["photo"] is not None:
                workflow.add_item_photo(item, upload=data["photo"], by=request.user)
    except Refused as refusal:
        messages.error(request, f"{item.position}. {refusal}")
    except ValidationError as exc:
        messages.error(request, f"{item.position}. {' '.join(exc.messages)}")
    else:
        messages.success(request, _("Item %(n)d saved.") % {"n": item.position})
    return redirect(target)


@login_required
def photo_download(
    request: AuthenticatedHttpRequest, company_pk: int, photo_pk: int
) -> HttpResponseBase:
    return files.serve_for_user(
        request, ItemPhoto, "file", pk=photo_pk, item__audit__company_id=company_pk
    )


@login_required
@require_POST
def audit_complete(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    audit = _audit(request, company_pk, pk, "edit")
    form = CompleteForm(request.POST)
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    try:
        created, token = workflow.complete_audit(
            audit, by=request.user, summary=summary, site=site_url(request)
        )
    except Refused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(
            request,
            _("Audit completed; %(n)d corrective actions raised.") % {"n": len(created)},
        )
        if token:
            request.session[f"siteaudit-link-{audit.pk}"] = token
    return redirect(audit)


@login_required
@require_POST
def audit_link(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    audit = _audit(request, company_pk, pk, "edit")
    try:
        token = workflow.new_link(audit, by=request.user, site=site_url(request))
    except Refused as refusal:
        refusals.show(request, refusal)
    else:
        request.session[f"siteaudit-link-{audit.pk}"] = token
        messages.success(request, _("A new link was made; the previous one no longer works."))
    return redirect(audit)


@login_required
def audit_report(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """The report as a PDF, in the audit's language or the one asked (`?lang=es`)."""
    audit = _audit(request, company_pk, pk, "view")
    language = request.GET.get("lang", "")
    if language not in ReportLanguage.values:
        language = audit.language
    with translation.override(language):
        context = report_context(audit, language)
        return pdf_response(
            "siteaudits/audit_report.html",
            context,
            request,
            f"site-audit-{audit.pk}-{language}.pdf",
        )


def report_context(audit: SiteAudit, language: str) -> dict[str, Any]:
    items = list(audit.items.prefetch_related("photos"))
    counts = {value: 0 for value in ["", *ItemResult.values]}
    for item in items:
        counts[item.result] += 1
    replies: dict[int, list[PartnerReply]] = {}
    for answer in PartnerReply.objects.filter(audit=audit):
        replies.setdefault(answer.action_id, []).append(answer)
    actions = list(workflow.actions_of(audit))
    return {
        "audit": audit,
        "company": audit.company,
        "language": language,
        "rows": [(item, item.text_in(language), _photo_sources(item)) for item in items],
        "counts": counts,
        "actions": [(a, replies.get(a.pk, [])) for a in actions],
        "next_due": schedule.next_due(audit.tier, audit.completed_on),
        "printed": timezone.localtime(),
    }


def _photo_sources(item: AuditItem) -> list[str]:
    """The item's photos as data: URLs, so the PDF renderer reads no file itself."""
    sources = []
    for photo in item.photos.all():
        if photo.is_image:
            with photo.file.open("rb") as handle:
                encoded = base64.b64encode(handle.read()).decode()
            sources.append(f"data:{photo.content_type};base64,{encoded}")
    return sources


@login_required
def checklist_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    """The member's own checklists, and writing a new one."""
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    form = OwnChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            checklist = OwnChecklist(
                company=company, name=form.cleaned_data["name"], items=form.cleaned_data["lines"]
            )
            checklist.full_clean()
            checklist.save()
            url = f"{_checklists_url(company)}#checklist-{checklist.pk}"
            idempotency.done(claimed, url)
        messages.success(request, _("Checklist “%(name)s” saved.") % {"name": checklist.name})
        return redirect(url)
    context = {
        "company": company,
        "form": form,
        "checklists": [
            (c, checklists.own_lines(c))
            for c in OwnChecklist.objects.for_user(request.user, "view").filter(company=company)
        ],
        "may_edit": _may_edit(request, company),
    }
    return render(
        request, "siteaudits/checklist_list.html", context, status=400 if form.errors else 200
    )


def _checklists_url(company: Company) -> str:
    from django.urls import reverse

    return reverse("siteaudits:checklist-list", args=[company.pk])
