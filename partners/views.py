"""Partner directory pages: list with filters, detail, create, edit, CSV export and
the two-step import (upload and check, then confirm)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from companies.models import Company
from core import export_jobs, idempotency
from core.http import AuthenticatedHttpRequest
from core.importing import template_response, upload_page
from core.lists import Listing, ListSpec, col, list_page, render_list
from core.pdf import pdf_response
from core.refusals import Refused, show
from core.tenancy import get_for_user_or_404
from core.widgets import LOOKUP_LIMIT
from partners import evidence, explain, importing, workflow
from partners.filters import AlertFilter, PartnerFilter
from partners.forms import (
    DecisionForm,
    HoldLiftForm,
    PartnerForm,
    ScreeningPolicyForm,
)
from partners.models import (
    BusinessPartner,
    PartnerImport,
    PartnerScreening,
    ScreeningPolicy,
    ScreeningStatus,
    ScreeningTrigger,
    four_eyes_required,
)


def _partners(request: AuthenticatedHttpRequest, company: Company, action: str) -> Any:
    return BusinessPartner.objects.for_user(request.user, action).filter(company=company)


# Import columns whose CSV value is not the attribute of the same name.
CSV_PATHS = {"country": "country.code", "relationship_owner": "relationship_owner.email"}
PARTNERS = ListSpec(
    PartnerFilter,
    [
        col("name", _l("Name")),
        col("role", _l("Role")),
        col("country", _l("Country")),
        col("tier", _l("Tier")),
        col("relationship_owner", _l("Relationship owner"), "relationship_owner__email"),
    ],
    default_sort=("-created_at",),
    # The import's columns first, so an export can be edited and imported again.
    csv=[
        *((c, CSV_PATHS[c]) if c in CSV_PATHS else c for c in importing.COLUMNS),
        "tier",
        "computed_tier",
        "tier_override_reason",
    ],
    empty_text=_l("No partners yet."),
)


def _listed(request: AuthenticatedHttpRequest, company: Company) -> Any:
    # `company = %s` alone (not also `IN (the user's companies)`): SQLite then reads the
    # page in order from the (company, …) indexes instead of sorting every partner.
    return (
        BusinessPartner.objects.for_user_listing(request.user, "view", company)
        .filter(company=company)
        .select_related("relationship_owner")
    )


@login_required
def partner_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    if request.GET.get("export") == "csv":  # the list's Export CSV: one path for every size
        return partner_export(request, company_pk)
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    return render_list(
        request,
        PARTNERS,
        _listed(request, company),
        "partners/partner_list.html",
        {"company": company},
        filename=f"partners-{company.pk}.csv",
    )


@login_required
def partner_export(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    """The filtered list as CSV: at once for a small directory, else built in the
    background (`partners.exporting`) with a progress page."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    parameters = export_jobs.query_parameters(request, drop=("export", "page"))
    return export_jobs.start(request, "partners.csv", company, parameters)


@login_required
def partner_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    partner = get_for_user_or_404(
        BusinessPartner, request.user, "view", pk=pk, company_id=company_pk
    )
    screening = partner.screenings.select_related("decided_by").first()
    if screening is not None:  # the reason in words beside each hit, not the scoring detail
        for hit in screening.hits:
            if hit.get("explanation"):
                sentences = explain.hit_sentences(hit, partner.country.code)
                hit["plain"] = explain.summary_of(sentences)
    return render(
        request,
        "partners/partner_detail.html",
        {"company": partner.company, "partner": partner, "screening": screening},
    )


@login_required
def partner_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = PartnerForm(request.POST if request.method == "POST" else None, company=company)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            partner = workflow.save_partner(form.save(commit=False))
            idempotency.done(claimed, partner.get_absolute_url())
        messages.success(request, _("Partner added."))
        return redirect(partner)
    return render(
        request,
        "partners/partner_form.html",
        {"company": company, "form": form, "creating": True},
    )


@login_required
def partner_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    partner = get_for_user_or_404(
        BusinessPartner, request.user, "edit", pk=pk, company_id=company_pk
    )
    form = PartnerForm(
        request.POST if request.method == "POST" else None,
        instance=partner,
        company=partner.company,
    )
    if request.method == "POST" and form.is_valid():
        workflow.save_partner(form.save(commit=False))
        messages.success(request, _("Partner saved."))
        return redirect(partner)
    return render(
        request,
        "partners/partner_form.html",
        {"company": partner.company, "form": form, "partner": partner},
    )


@login_required
def import_upload(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    importer = importing.PartnerImporter(company)
    return upload_page(
        request, importer, PartnerImport, "partners/import_form.html", company=company
    )


@login_required
def import_template(request: AuthenticatedHttpRequest, company_pk: int, kind: str) -> HttpResponse:
    """The partner file to start from: the header row, in the reader's language."""
    get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    return template_response(importing.PartnerImporter, kind)


@login_required
def import_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    batch = get_for_user_or_404(PartnerImport, request.user, "edit", pk=pk, company_id=company_pk)
    workflow.mark_screening_stopped(batch)
    return render(
        request,
        "partners/import_detail.html",
        {
            "company": batch.company,
            "batch": batch,
            "preview": batch.rows[:20],
            "row_count": len(batch.rows),
        },
    )


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    batch = get_for_user_or_404(PartnerImport, request.user, "edit", pk=pk, company_id=company_pk)
    try:
        batch, created, background = workflow.confirm_import(batch)
    except Refused as refusal:
        if refusal.code == "already_imported":
            messages.info(request, str(refusal))
        else:
            show(request, refusal)
        return redirect(batch)
    if background:
        messages.success(request, _("%(n)d partners imported.") % {"n": created})
    else:
        messages.success(
            request,
            _("%(n)d partners imported; screening raised %(alerts)d alerts.")
            % {"n": created, "alerts": batch.alert_count},
        )
    # The confirmation page says how many alerts the import raised and links to them.
    return redirect(batch)


@login_required
def import_progress(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """The progress fragment of a background import screening (polled every 2 s)."""
    batch = get_for_user_or_404(PartnerImport, request.user, "edit", pk=pk, company_id=company_pk)
    # Polling is what notices a lost worker first: say so instead of waiting forever.
    workflow.mark_screening_stopped(batch)
    return render(
        request, "partners/_import_progress.html", {"company": batch.company, "batch": batch}
    )


@login_required
@require_POST
def import_restart(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """Resume a background screening whose worker stopped; only what is left is screened."""
    batch = get_for_user_or_404(PartnerImport, request.user, "edit", pk=pk, company_id=company_pk)
    try:
        workflow.restart_screening(batch)
    except workflow.ScreeningNotStopped as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(request, _("Screening restarted with the partners not yet screened."))
    return redirect(batch)


ALERTS = ListSpec(
    AlertFilter,
    [
        col("partner", _l("Partner"), "partner__name"),
        col("country", _l("Country"), "partner__country"),
        col("why", _l("Why it alerted"), sortable=False),
        col("screened_at", _l("Screened")),
        col("status", _l("Status")),
        col("decided_at", _l("Decided"), "decided_at"),
    ],
    default_sort=("-screened_at",),
    csv=[
        ("partner", "partner.name"),
        ("country", "partner.country.code"),
        "screened_at",
        ("trigger", "get_trigger_display"),
        ("status", "get_status_display"),
        ("why", "plain_summary"),
        ("first_reviewer", "first_reviewer.email"),
        "first_verdict",
        "first_reason",
        ("decided_by", "decided_by.email"),
        "decided_at",
        "decision_reason",
    ],
    initial={"state": "open"},
    # A choice of every partner would be a select of thousands: search by name instead.
    hide=("company", "partner"),
    empty_text=_l("No alerts here."),
)


def _alerts(request: AuthenticatedHttpRequest, company: Company) -> Any:
    # The company on the screening itself: a page is read from the (company, status, …)
    # index instead of from every partner of the company.
    return (
        PartnerScreening.objects.for_user(request.user, "edit")
        .filter(company=company)
        .select_related("partner", "first_reviewer", "decided_by")
    )


def alert_rows(company: Company, screenings: Any) -> list[dict[str, Any]]:
    """The cells of the alert list, computed here once (the page draws 50 rows; resolving
    them in the template cost more than the queries)."""
    names: dict[str, str] = {}
    # Labels and the address read once for the page, not once a row: `get_FOO_display()`
    # translates every choice of the field each time, `reverse()` resolves the pattern.
    statuses = {str(value): str(label) for value, label in ScreeningStatus.choices}
    triggers = {str(value): str(label) for value, label in ScreeningTrigger.choices}
    head, _pk, tail = reverse("partners:alert-detail", args=[company.pk, 987654321]).rpartition(
        "987654321"
    )
    rows = []
    for s in screenings:
        partner = s.partner
        code = partner.country.code
        if code not in names:
            names[code] = str(partner.country.name)
        rows.append(
            {
                "url": f"{head}{s.pk}{tail}",
                "partner": partner.name,
                "on_hold": partner.on_hold,
                "country": names[code],
                "why": explain.short_summary(s),
                "screened_at": s.screened_at,
                "trigger": triggers.get(s.trigger, s.trigger),
                "open": s.is_open,
                "status": statuses.get(s.status, s.status),
                "decided_at": s.decided_at,
                "decided_by": s.decided_by.email if s.decided_by else "",
            }
        )
    return rows


@login_required
def alert_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    """Screening alerts, open by default, decided ones kept (filter open / decided / all)."""
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    listing = list_page(
        request, ALERTS, _alerts(request, company), filename=f"alerts-{company.pk}.csv"
    )
    if not isinstance(listing, Listing):
        return listing
    rows = alert_rows(company, listing.page)
    return render(
        request,
        "partners/screening_alerts.html",
        {
            "company": company,
            "listing": listing,
            "rows": rows,
            "four_eyes": four_eyes_required(company.pk),
        },
    )


@login_required
def alert_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """One alert side by side: the partner's data beside each list entry it matched."""
    screening = get_for_user_or_404(
        PartnerScreening.objects.select_related(
            "partner", "partner__company", "first_reviewer", "decided_by"
        ),
        request.user,
        "edit",
        pk=pk,
        partner__company_id=company_pk,
    )
    return _alert_page(request, screening, DecisionForm())


def _alert_page(
    request: AuthenticatedHttpRequest, screening: PartnerScreening, form: Any, status: int = 200
) -> HttpResponse:
    partner = screening.partner
    history = list(
        partner.screenings.exclude(pk=screening.pk)
        .exclude(status=ScreeningStatus.CLEAR)
        .select_related("decided_by", "first_reviewer")[:20]
    )
    return render(
        request,
        "partners/screening_alert.html",
        {
            "company": partner.company,
            "s": screening,
            "partner": partner,
            "readings": explain.readings(screening),
            "history": history,
            "form": form,
            "four_eyes": four_eyes_required(partner.company_id),
            "may_decide": screening.is_open
            and not (
                screening.status == ScreeningStatus.SECOND_REVIEW
                and screening.first_reviewer_id == request.user.pk
            ),
        },
        status=status,
    )


@login_required
@require_POST
def alert_decide(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    screening = get_for_user_or_404(
        PartnerScreening.objects.select_related("partner", "partner__company"),
        request.user,
        "edit",
        pk=pk,
        partner__company_id=company_pk,
    )
    form = DecisionForm(request.POST)
    if not screening.is_open:
        messages.info(request, _("This alert was already decided."))
        return redirect("partners:alert-detail", company_pk=company_pk, pk=pk)
    if not form.is_valid():
        return _alert_page(request, screening, form, status=400)
    try:
        status = workflow.decide(
            screening, request.user, form.cleaned_data["verdict"], form.cleaned_data["reason"]
        )
    except workflow.ReviewError as refusal:
        show(request, refusal, form)
        return _alert_page(request, screening, form, status=409)
    if status == ScreeningStatus.SECOND_REVIEW:
        messages.success(request, _("Decision recorded; a second reviewer must confirm it."))
    elif status == ScreeningStatus.TRUE_MATCH:
        messages.warning(
            request,
            _("Decision recorded: %(name)s is on hold until an officer lifts the hold.")
            % {"name": screening.partner.name},
        )
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("partners:alert-list", company_pk=company_pk)


@login_required
def hold_lift(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """Lift a partner's hold after a confirmed match (officers and administrators)."""
    partner = get_for_user_or_404(
        BusinessPartner.objects.select_related("company", "hold_screening", "hold_lifted_by"),
        request.user,
        "edit",
        pk=pk,
        company_id=company_pk,
    )
    form = HoldLiftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.lift_hold(partner, request.user, form.cleaned_data["reason"])
        except Refused as refusal:
            show(request, refusal, form)
        else:
            messages.success(request, _("Hold lifted."))
            return redirect(partner)
    return render(
        request,
        "partners/hold_lift.html",
        {
            "company": partner.company,
            "partner": partner,
            "form": form,
            "may_lift": workflow.may_lift_hold(partner, request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def screening_policy(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The company's review rule for alerts (four eyes on or off); managers change it."""
    action = "manage" if request.method == "POST" else "edit"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    policy = ScreeningPolicy.objects.filter(company=company).first() or ScreeningPolicy(
        company=company, four_eyes=four_eyes_required(company.pk)
    )
    form = ScreeningPolicyForm(request.POST if request.method == "POST" else None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Review rule saved."))
        return redirect("partners:alert-list", company_pk=company.pk)
    can_manage = Company.objects.for_user(request.user, "manage").filter(pk=company.pk).exists()
    return render(
        request,
        "partners/screening_policy.html",
        {"company": company, "form": form, "can_manage": can_manage},
    )


@login_required
def partner_screening_pdf(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    """The partner's screening record as a PDF (vetting evidence, MSC 3.1)."""
    partner = get_for_user_or_404(
        BusinessPartner.objects.select_related("company"),
        request.user,
        "view",
        pk=pk,
        company_id=company_pk,
    )
    return pdf_response(
        "partners/screening_evidence_pdf.html",
        {
            "company": partner.company,
            "partner": partner,
            "screenings": evidence.partner_screenings(partner),
            "false_positives": partner.false_positives.select_related("decided_by"),
            "generated_at": timezone.now(),
        },
        request,
        f"screening-partner-{partner.pk}.pdf",
    )


@login_required
def partner_screening_csv(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> StreamingHttpResponse:
    """Every screening of one partner, one row per hit."""
    partner = get_for_user_or_404(
        BusinessPartner, request.user, "view", pk=pk, company_id=company_pk
    )
    rows = evidence.partner_rows(evidence.partner_screenings(partner))
    response = StreamingHttpResponse(
        evidence.csv_stream(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="screening-partner-{partner.pk}.csv"'
    return response


@login_required
def screening_evidence_export(
    request: AuthenticatedHttpRequest, company_pk: int
) -> HttpResponseBase:
    """Every partner's latest screening, one row each (MSC 3.x evidence): at once for a
    small directory, else in the background with a progress page."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    return export_jobs.start(request, "partners.screening-evidence", company)


@login_required
def partner_lookup(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The partners whose name contains what was typed, for a form's partner box (HTMX)."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    query = request.GET.get("q", "").strip()
    found = (
        BusinessPartner.objects.for_user(request.user, "view")
        .filter(company=company, name__icontains=query)
        .order_by("name", "pk")
        .values_list("pk", "name", "country")[:LOOKUP_LIMIT]
        if query
        else []
    )
    matches = [(pk, f"{name} ({country})" if country else name) for pk, name, country in found]
    return render(request, "core/search_matches.html", {"found": matches, "q": query})
