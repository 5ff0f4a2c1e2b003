"""Risk assessment pages: history and annual review, the assessment with its heat map,
supply chains mapped as diagrams and lists, vulnerability ratings with suggestions, the
action plan, the written method, the PDF and the comparison of two assessments."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from actions.models import CorrectiveAction
from companies.context_processors import remember_company
from companies.models import Company
from core import export_jobs, idempotency, refusals
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.tenancy import get_for_user_or_404
from incidents.lessons import Lesson, recent_lessons
from risk import suggestions, workflow
from risk.choices import MSC_CATEGORIES, Level
from risk.filters import AssessmentFilter
from risk.flow import chain_edges, mermaid_flowchart
from risk.forms import (
    AssessmentForm,
    NodeForm,
    RiskActionForm,
    RiskSettingsForm,
    SupplyChainForm,
    VulnerabilityForm,
)
from risk.models import (
    Assessment,
    AssessmentRefused,
    Node,
    RiskSettings,
    SupplyChain,
    VulnerabilityRating,
    next_review_due,
)
from risk.scoring import chain_risks, heat_map


def _posted(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _may(request: AuthenticatedHttpRequest, company: Company | int, action: str) -> bool:
    pk = company if isinstance(company, int) else company.pk
    return Company.objects.for_user(request.user, action).filter(pk=pk).exists()


def _assessment(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, action: str = "view"
) -> Assessment:
    return get_for_user_or_404(
        Assessment.objects.select_related("company", "completed_by"),
        request.user,
        action,
        company_id=company_pk,
        pk=pk,
    )


def _chain(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, action: str = "view"
) -> SupplyChain:
    return get_for_user_or_404(
        SupplyChain.objects.select_related("assessment__company"),
        request.user,
        action,
        assessment__company_id=company_pk,
        pk=pk,
    )


def _editable_or_back(request: AuthenticatedHttpRequest, assessment: Assessment) -> bool:
    try:
        assessment.ensure_editable()
    except AssessmentRefused as refusal:
        refusals.show(request, refusal)
        return False
    return True


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def lessons(company: Company, today: datetime.date | None = None) -> list[Lesson]:
    """Lessons learned from the incidents of the last twelve months (step 2's input)."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=365)
    return recent_lessons(company, since)


def plan_actions(assessment: Assessment) -> list[CorrectiveAction]:
    """The action plan: corrective actions raised by the assessment or by one of its
    vulnerability ratings."""
    ratings = VulnerabilityRating.objects.filter(chain__assessment=assessment).values("pk")
    return list(
        CorrectiveAction.objects.filter(
            Q(
                source_type=ContentType.objects.get_for_model(Assessment),
                source_id=assessment.pk,
            )
            | Q(
                source_type=ContentType.objects.get_for_model(VulnerabilityRating),
                source_id__in=ratings,
            ),
            company_id=assessment.company_id,
        ).select_related("owner")
    )


def threat_grid_url(company: Company) -> str | None:
    """The company's threat ratings (step 2), when the threats app is installed."""
    try:
        return reverse("threats:rating-grid", args=[company.pk])
    except NoReverseMatch:
        return None


def _threat_create_url(company: Company) -> str | None:
    try:
        return reverse("threats:rating-create", args=[company.pk])
    except NoReverseMatch:
        return None


# -- history, annual review, settings ---------------------------------------------------


ASSESSMENTS = ListSpec(
    AssessmentFilter,
    [
        col("year", _l("Year")),
        col("assessed_on", _l("Date")),
        col("status", _l("Status")),
        col("completed_by", _l("Completed by"), "completed_at"),
        col("changes", "", sortable=False),
    ],
    default_sort=("-year",),
    csv=["year", "assessed_on", "status", "completed_by.email", "completed_at", "copied_from.year"],
    empty_text=_l("No assessment yet."),
)


@login_required
def assessment_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    remember_company(request, company)
    today = timezone.localdate()
    due = next_review_due(company)
    assessments = Assessment.objects.for_user(request.user, "view").filter(company=company)
    years = assessments.aggregate(first=Min("year"), this=Max("year", filter=Q(year=today.year)))
    return render_list(
        request,
        ASSESSMENTS,
        assessments.select_related("completed_by", "copied_from"),
        "risk/assessment_list.html",
        {
            "company": company,
            "any": years["first"] is not None,
            "first_year": years["first"],
            "due": due,
            "overdue": due is None or due < today,
            "this_year": assessments.filter(year=today.year).first() if years["this"] else None,
            "may_edit": _may(request, company, "edit"),
            "may_manage": _may(request, company, "manage"),
        },
        filename=f"risk-assessments-{company.pk}.csv",
    )


@login_required
@require_POST
def assessment_start(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    assessment = workflow.start_assessment(company)
    if assessment.copied_from_id:
        messages.success(request, _("This year's review starts as a copy of the last one."))
    return redirect(assessment)


@login_required
def settings_edit(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    form = RiskSettingsForm(_posted(request), instance=RiskSettings.for_company(company))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Risk settings saved."))
        return redirect("risk:assessment-list", company_pk=company.pk)
    return render(request, "risk/settings_form.html", {"company": company, "form": form})


# -- the assessment -------------------------------------------------------------------------


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    assessment = _assessment(request, company_pk, pk)
    company = assessment.company
    remember_company(request, company)
    settings = RiskSettings.for_company(company)
    risks = chain_risks(assessment, settings)
    return render(
        request,
        "risk/assessment_detail.html",
        {
            "company": company,
            "assessment": assessment,
            "settings": settings,
            "risks": risks,
            "grid": heat_map(risks, settings),
            "unrated": [r for r in risks if not r.rated],
            "high_threat": [r for r in risks if r.threat == Level.HIGH],
            "lessons": lessons(company),
            "actions": plan_actions(assessment),
            "may_edit": not assessment.is_completed and _may(request, company, "edit"),
            "may_complete": not assessment.is_completed and _may(request, company, "manage"),
            "may_act": _may(request, company, "edit"),
            "threat_grid_url": threat_grid_url(company),
            "previous": Assessment.objects.filter(company=company, year__lt=assessment.year)
            .order_by("-year")
            .first(),
        },
    )


@login_required
def assessment_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    assessment = _assessment(request, company_pk, pk, "edit")
    if not _editable_or_back(request, assessment):
        return redirect(assessment)
    data = _posted(request)
    if data is not None and "regenerate" in data:
        data = data.copy()
        data["method"] = workflow.generated_method(
            assessment.company, RiskSettings.for_company(assessment.company)
        )
    form = AssessmentForm(data, instance=assessment)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Saved."))
        if "regenerate" in request.POST:
            return redirect("risk:assessment-edit", company_pk=company_pk, pk=pk)
        return redirect(assessment)
    return render(
        request,
        "risk/assessment_form.html",
        {"company": assessment.company, "assessment": assessment, "form": form},
    )


@login_required
@require_POST
def assessment_complete(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    assessment = _assessment(request, company_pk, pk, "manage")
    try:
        workflow.complete_assessment(assessment, request.user)
    except AssessmentRefused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("Assessment completed; next review due in a year."))
    return redirect(assessment)


@login_required
def assessment_compare(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    assessment = _assessment(request, company_pk, pk)
    others = Assessment.objects.filter(company_id=company_pk).exclude(pk=pk)
    chosen = request.GET.get("with", "")
    older = (
        others.filter(pk=int(chosen)).first()
        if chosen.isdigit()
        else others.filter(year__lt=assessment.year).order_by("-year").first()
    )
    if chosen and older is None:
        raise Http404
    settings = RiskSettings.for_company(assessment.company)
    rows = workflow.changes(older, assessment, settings) if older is not None else []
    return render(
        request,
        "risk/assessment_compare.html",
        {
            "company": assessment.company,
            "assessment": assessment,
            "older": older,
            "others": others,
            "rows": rows,
        },
    )


@login_required
def assessment_pdf(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponseBase:
    """The assessment as a PDF, always built in the background (`risk.exporting`): the
    reader lands on the job's progress page and downloads the file from there."""
    assessment = _assessment(request, company_pk, pk)
    return export_jobs.start(
        request,
        "risk.assessment-pdf",
        assessment.company,
        {"assessment": assessment.pk},
        background=True,
    )


# -- supply chains and nodes (step 1) --------------------------------------------------------


@login_required
def chain_create(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    assessment = _assessment(request, company_pk, pk, "edit")
    if not _editable_or_back(request, assessment):
        return redirect(assessment)
    if request.method == "POST" and (seen := idempotency.replay(request)) is not None:
        return seen
    form = SupplyChainForm(_posted(request), assessment=assessment)
    if request.method == "POST" and form.is_valid():
        return idempotency.save_once(request, form, lambda chain: chain.get_absolute_url())
    return render(
        request,
        "risk/chain_form.html",
        {"company": assessment.company, "assessment": assessment, "form": form},
    )


@login_required
def chain_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    chain = _chain(request, company_pk, pk)
    assessment = chain.assessment
    company = assessment.company
    nodes = list(chain.nodes.select_related("partner"))
    edges = chain_edges(chain.pk)
    by_pk = {n.pk: n for n in nodes}
    settings = RiskSettings.for_company(company)
    risk = chain_risks(assessment, settings, only=chain)[0]
    return render(
        request,
        "risk/chain_detail.html",
        {
            "company": company,
            "assessment": assessment,
            "chain": chain,
            "risk": risk,
            "nodes": [
                (
                    n,
                    [by_pk[t] for t in sorted(edges.get(n.pk, ())) if t in by_pk],
                    getattr(risk.node_threats.get(n.pk), "level", None),
                    getattr(risk.node_threats.get(n.pk), "stale", False),
                )
                for n in nodes
            ],
            "diagram": mermaid_flowchart(nodes, edges),
            "rate_threat_url": _threat_create_url(company),
            "rows": _vulnerability_rows(chain),
            "may_edit": not assessment.is_completed and _may(request, company, "edit"),
        },
    )


def _vulnerability_rows(chain: SupplyChain) -> list[dict[str, Any]]:
    """One row per MSC category: the saved rating, and for a draft the live suggestion."""
    saved = {v.category: v for v in chain.vulnerabilities.all()}
    partner_ids = workflow.chain_partner_ids(chain)
    evidence = (
        None
        if chain.assessment.is_completed
        else suggestions.gather(chain.assessment.company, partner_ids=partner_ids)
    )
    rows = []
    for number in MSC_CATEGORIES:
        rating = saved.get(number)
        if evidence is not None:
            suggested, reasons = suggestions.suggest(evidence, partner_ids, number)
        elif rating is not None:
            suggested, reasons = rating.suggested_level, rating.reasons
        else:
            suggested, reasons = "", []
        rows.append(_row(chain, number, rating, suggested, reasons))
    return rows


def _row(
    chain: SupplyChain,
    number: int,
    rating: VulnerabilityRating | None,
    suggested: str,
    reasons: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "number": number,
        "name": suggestions.category_name(number),
        "rating": rating,
        "suggested": suggested,
        "suggested_label": Level(suggested).label if suggested else "",
        "reasons": [{"level": r.get("level"), "text": suggestions.reason_text(r)} for r in reasons],
    }


@login_required
def chain_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    chain = _chain(request, company_pk, pk, "edit")
    if not _editable_or_back(request, chain.assessment):
        return redirect(chain)
    form = SupplyChainForm(_posted(request), instance=chain, assessment=chain.assessment)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Saved."))
        return redirect(chain)
    return render(
        request,
        "risk/chain_form.html",
        {
            "company": chain.assessment.company,
            "assessment": chain.assessment,
            "chain": chain,
            "form": form,
        },
    )


@login_required
@require_POST
def chain_delete(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    chain = _chain(request, company_pk, pk, "edit")
    assessment = chain.assessment
    try:
        workflow.remove_chain(chain)
    except AssessmentRefused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("Supply chain removed."))
    return redirect(assessment)


@login_required
def node_create(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    chain = _chain(request, company_pk, pk, "edit")
    return _node_form(request, chain, Node(chain=chain))


@login_required
def node_edit(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, node_pk: int
) -> HttpResponse:
    chain = _chain(request, company_pk, pk, "edit")
    node = get_for_user_or_404(Node, request.user, "edit", chain=chain, pk=node_pk)
    return _node_form(request, chain, node)


def _node_form(request: AuthenticatedHttpRequest, chain: SupplyChain, node: Node) -> HttpResponse:
    if not _editable_or_back(request, chain.assessment):
        return redirect(chain)
    creating = node.pk is None
    if creating and request.method == "POST" and (seen := idempotency.replay(request)):
        return seen
    form = NodeForm(_posted(request), instance=node, chain=chain)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request) if creating else None
                if isinstance(claimed, HttpResponse):
                    return claimed
                workflow.save_node(
                    form.instance, form.cleaned_data["comes_from"], form.cleaned_data["goes_to"]
                )
                idempotency.done(claimed, chain.get_absolute_url())
        except AssessmentRefused as refusal:
            if creating:
                form.instance.pk = None
            refusals.show(request, refusal, form)
        except ValidationError as exc:
            if creating:
                form.instance.pk = None
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Node saved."))
            return redirect(chain)
    return render(
        request,
        "risk/node_form.html",
        {
            "company": chain.assessment.company,
            "assessment": chain.assessment,
            "chain": chain,
            "node": None if creating else node,
            "form": form,
        },
    )


@login_required
@require_POST
def node_delete(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, node_pk: int
) -> HttpResponse:
    chain = _chain(request, company_pk, pk, "edit")
    node = get_for_user_or_404(Node, request.user, "edit", chain=chain, pk=node_pk)
    try:
        workflow.remove_node(node)
    except AssessmentRefused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("Node removed."))
    return redirect(chain)


# -- vulnerability (step 3) and action plan (step 4) ------------------------------------------


@login_required
def vulnerability_rate(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, category: int
) -> HttpResponse:
    chain = _chain(request, company_pk, pk, "edit")
    if category not in MSC_CATEGORIES:
        raise Http404
    if not _editable_or_back(request, chain.assessment):
        return redirect(chain)
    partner_ids = workflow.chain_partner_ids(chain)
    evidence = suggestions.gather(chain.assessment.company, partner_ids=partner_ids)
    suggested, reasons = suggestions.suggest(evidence, partner_ids, category)
    rating = VulnerabilityRating.objects.filter(chain=chain, category=category).first()
    initial = {
        "level": rating.level if rating else suggested,
        "override_reason": rating.override_reason if rating else "",
    }
    form = VulnerabilityForm(_posted(request), initial=initial, suggested=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            rating = workflow.rate_vulnerability(
                chain,
                category,
                level=form.cleaned_data["level"],
                override_reason=form.cleaned_data["override_reason"],
                by=request.user,
                evidence=evidence,
            )
        except AssessmentRefused as refusal:
            refusals.show(request, refusal, form)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, _("Vulnerability rated."))
                return redirect(chain)
            row = _row(chain, category, rating, suggested, reasons)
            return render(
                request,
                "risk/_vulnerability_row.html",
                {"company": chain.assessment.company, "chain": chain, "row": row, "may_edit": True},
            )
    context = {
        "company": chain.assessment.company,
        "assessment": chain.assessment,
        "chain": chain,
        "row": _row(chain, category, rating, suggested, reasons),
        "form": form,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "risk/_vulnerability_form.html", context)
    return render(request, "risk/vulnerability_form.html", context)


@login_required
def action_create(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    assessment = _assessment(request, company_pk, pk, "edit")
    if request.method == "POST" and (seen := idempotency.replay(request)) is not None:
        return seen
    initial: dict[str, Any] = {}
    rating_pk = request.GET.get("rating", "")
    if rating_pk.isdigit():
        initial["rating"] = int(rating_pk)
        found = VulnerabilityRating.objects.filter(
            pk=int(rating_pk), chain__assessment=assessment
        ).first()
        if found is not None:
            initial["criterion_ref"] = str(found.category)
    form = RiskActionForm(_posted(request), initial=initial, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        rating = form.cleaned_data.get("rating")
        action = form.instance
        action.source = rating if rating is not None else assessment
        action.created_by = request.user
        return idempotency.save_once(request, form, lambda _obj: assessment.get_absolute_url())
    return render(
        request,
        "risk/action_form.html",
        {"company": assessment.company, "assessment": assessment, "form": form},
    )
