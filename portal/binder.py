"""The validation-readiness binder: one PDF a member hands the CTPAT specialist before a
site visit, in English or Spanish.

It gathers what the other apps keep: the submitted application (company data as applied
with), the submitted security profile with the index of its evidence (file, version,
SHA-256), the latest risk assessment, the partner vetting summary, training coverage and
the operations figures of the last twelve months. It lives in `portal`, the top layer,
because it reads from every app. It is always built in the background
(`core.export_jobs`, kind "portal.binder") with its progress shown section by section.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from core import export_jobs
from core.export_jobs import ExportContext, Output
from core.models import ExportJob
from core.tenancy import get_for_user_or_404

KIND = "portal.binder"
SECTIONS = 7  # cover + six sections: each is one step of the progress
LANGUAGES = (("en", _l("English")), ("es", _l("Spanish")))


# -- the sections ---------------------------------------------------------------------


def application_section(company: Any) -> dict[str, Any]:
    from applications.models import Application

    application = Application.objects.filter(company=company).first()
    if application is None:
        return {"status": None}
    from django_countries import countries

    from companies.choices import BusinessSubtype, BusinessType, TransportMode

    data = dict(application.snapshot or application.build_snapshot())
    # Labels in the binder's language instead of the stored codes.
    data["business_type"] = dict(BusinessType.choices).get(str(data.get("business_type")), "")
    subtype = str(data.get("business_subtype"))
    data["business_subtype"] = dict(BusinessSubtype.choices).get(subtype, "")
    data["country"] = countries.name(data.get("country", "")) or data.get("country", "")
    modes = dict(TransportMode.choices)
    data["transport_modes"] = [str(modes.get(m, m)) for m in data.get("transport_modes", [])]
    return {
        "status": application.get_status_display(),
        "submitted_at": application.submitted_at,
        "data": data,
        "addresses": data.get("addresses", []),
        "contacts": data.get("contacts", []),
    }


def profile_section(company: Any) -> dict[str, Any]:
    from catalogue.choices import Requirement
    from profiles.choices import ResponseStatus
    from profiles.models import Submission

    submission = (
        Submission.objects.filter(company=company).select_related("submitted_by").first()
    )  # ordered by -number: the latest
    if submission is None:
        return {"submission": None}
    criteria = submission.snapshot.get("criteria", [])
    labels = dict(ResponseStatus.choices)
    requirements = dict(Requirement.choices)
    counts: dict[str, int] = {}
    evidence = []
    for criterion in criteria:
        label = str(labels.get(criterion.get("status", ""), criterion.get("status", "")))
        criterion["status_label"] = label
        requirement = criterion.get("requirement", "")
        criterion["requirement_label"] = str(requirements.get(requirement, requirement))
        counts[label] = counts.get(label, 0) + 1
        for item in criterion.get("evidence", []):
            evidence.append({"criterion": criterion.get("ref_id", ""), **item})
    return {
        "submission": submission,
        "catalogue": submission.snapshot.get("catalogue", {}),
        "criteria": criteria,
        "counts": sorted(counts.items()),
        "evidence": evidence,
    }


def risk_section(company: Any) -> dict[str, Any]:
    from risk.models import Assessment, RiskSettings
    from risk.scoring import chain_risks

    assessment = (
        Assessment.objects.filter(company=company).select_related("completed_by").order_by("-year")
    ).first()
    if assessment is None:
        return {"assessment": None}
    risks = chain_risks(assessment, RiskSettings.for_company(company))
    return {"assessment": assessment, "risks": risks}


def partner_section(company: Any, user: Any) -> dict[str, Any]:
    from partners.dashboard import figures

    data = figures(company, user)
    return {
        "path_rows": data["path_rows"],
        "totals": data["totals"],
        "open_alerts": data["open_alerts"],
        "screening_groups": data["screening_groups"],
        "screening_rows": data["screening_rows"],
        "expiring": data["expiring"][:20],
    }


def training_section(company: Any) -> dict[str, Any]:
    from django.db.models import Q

    from training.matrix import course_summaries, state_columns, totals_of

    summaries = course_summaries(company)
    courses = [s.course for s in summaries if s.course]
    annotated, names = state_columns(
        company.employees.filter(active=True), courses, timezone.localdate()
    )
    anyone = Q(pk__in=[])
    for name in names:
        anyone |= Q(**{f"{name}__isnull": False})
    return {
        "summaries": summaries,
        "totals": totals_of(summaries),
        # People with at least one required course.
        "employees": annotated.filter(anyone).count(),
    }


def operations_section(company: Any) -> dict[str, Any]:
    from inspections.kpis import monthly

    months = monthly(company, end=timezone.localdate(), months=12)
    return {
        "months": months,
        "inspections": sum(m.inspections for m in months),
        "outbound": sum(m.outbound for m in months),
        "seal_discrepancies": sum(m.seal_discrepancies for m in months),
        "pest_findings": sum(m.pest_findings for m in months),
    }


def build_binder(context: ExportContext) -> Output:
    """The binder PDF, one progress step per section."""
    from core.pdf import render_pdf

    company, progress = context.company, context.progress
    progress.set_total(SECTIONS)
    data: dict[str, Any] = {
        "company": company,
        "generated": timezone.localtime(),
        "language": context.language,
    }
    progress.advance()
    data["application"] = application_section(company)
    progress.advance()
    data["profile"] = profile_section(company)
    progress.advance()
    data["risk"] = risk_section(company)
    progress.advance()
    data["partners"] = partner_section(company, context.user)
    progress.advance()
    data["training"] = training_section(company)
    progress.advance()
    data["operations"] = operations_section(company)
    body = render_pdf("portal/binder_pdf.html", data, None)
    progress.advance()
    stamp = datetime.date.today().isoformat()
    name = (
        f"validation-binder-{company.account_number or company.pk}-{context.language}-{stamp}.pdf"
    )
    return Output(name, "application/pdf", body)


def register() -> None:
    export_jobs.register(
        KIND, _l("Validation-readiness binder"), build="portal.binder.build_binder"
    )


# -- the page -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def binder_page(request: HttpRequest, company_pk: int) -> HttpResponseBase:
    """Ask for the binder in a language; the request starts the background job and lands
    on its progress page. Lists the binders this person asked for that are still kept."""
    from companies.models import Company

    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    error = ""
    chosen = translation.get_language() or "en"
    chosen = chosen if chosen in dict(LANGUAGES) else "en"
    if request.method == "POST":
        language = request.POST.get("language", "")
        if language in dict(LANGUAGES):
            job = export_jobs.enqueue(
                KIND, company, request.user, {"language": language}, language=language
            )
            from django.shortcuts import redirect

            return redirect("exports:job", company_pk=company.pk, pk=job.pk)
        error = _("Language: choose English or Spanish.")
    jobs = ExportJob.objects.filter(company=company, requested_by_id=request.user.pk, kind=KIND)
    jobs = jobs[:10]
    response: HttpResponse = render(
        request,
        "portal/binder.html",
        {
            "company": company,
            "languages": LANGUAGES,
            "chosen": chosen,
            "error": error,
            "jobs": jobs,
        },
        status=400 if error else 200,
    )
    return response
