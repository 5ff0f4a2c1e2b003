"""The risk assessment PDF through `core.export_jobs` (registered in `RiskConfig`),
always built in the background with progress: at a large company even an assessment of
one supply chain took 0.5–2.1 s in the request (the crawl of issue 21), most of it the
PDF renderer and the company-wide lessons and evidence it reads, not the chains."""

from __future__ import annotations

from typing import Any

from core.export_jobs import ExportContext, Output


def chain_count(company: Any, user: Any, parameters: dict[str, Any]) -> int:
    from risk.models import SupplyChain

    pk = int(parameters.get("assessment") or 0)
    return int(SupplyChain.objects.filter(assessment_id=pk, assessment__company=company).count())


def assessment_context(assessment: Any) -> dict[str, Any]:
    """What the assessment PDF shows (`risk/assessment_pdf.html`)."""
    from risk.choices import MSC_CATEGORIES
    from risk.models import RiskSettings
    from risk.scoring import chain_risks
    from risk.views import lessons, plan_actions

    settings = RiskSettings.for_company(assessment.company)
    risks = chain_risks(assessment, settings)
    return {
        "assessment": assessment,
        "company": assessment.company,
        "settings": settings,
        "risks": risks,
        "nodes": {r.chain.pk: list(r.chain.nodes.all()) for r in risks},
        "actions": plan_actions(assessment),
        "lessons": lessons(assessment.company),
        "categories": list(MSC_CATEGORIES.items()),
    }


def assessment_pdf(context: ExportContext) -> Output:
    from django.utils.translation import gettext as _

    from core.pdf import render_pdf
    from core.refusals import Invalid
    from risk.models import Assessment

    assessment = (
        Assessment.objects.for_user(context.user, "view")
        .select_related("company", "completed_by")
        .filter(company=context.company, pk=int(context.parameters.get("assessment") or 0))
        .first()
    )
    if assessment is None:
        raise Invalid(_("This risk assessment no longer exists."))
    context.progress.set_total(2)  # gathered, then drawn
    data = assessment_context(assessment)
    context.progress.advance()
    body = render_pdf("risk/assessment_pdf.html", data, None)
    context.progress.advance()
    return Output(f"risk-assessment-{assessment.year}.pdf", "application/pdf", body)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from core import export_jobs

    export_jobs.register(
        "risk.assessment-pdf",
        _("Risk assessment (PDF)"),
        build="risk.exporting.assessment_pdf",
        count="risk.exporting.chain_count",
    )
