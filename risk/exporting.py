"""The risk assessment PDF through `core.export_jobs` (registered in `RiskConfig`).
Under `IMMEDIATE_BELOW` supply chains the PDF is built in the request; above, in the
background with progress."""

from __future__ import annotations

from typing import Any

from core.export_jobs import ExportContext, Output

# Supply chains below which the PDF is built in the request: the crawl (issue 21) took
# 3.5 s for 100 chains, about 35 ms each, so 25 stay near 0.9 s (bench/exports.py).
IMMEDIATE_BELOW = 25


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
    context.progress.set_total(2)
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
        immediate_below=IMMEDIATE_BELOW,
    )
