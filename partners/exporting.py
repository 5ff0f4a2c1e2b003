"""The partner exports run through `core.export_jobs` (registered in `PartnersConfig`):
the partner list CSV and the company-wide screening evidence CSV. Under a number of
partners the file is built in the request (under 2 s), above it in the background with
progress."""

from __future__ import annotations

from typing import Any

from core.export_jobs import ExportContext, Output, csv_text, list_csv
from partners.models import BusinessPartner

# Partners below which each CSV is built in the request. The large-tenant crawl (issue
# 21, SQLite, lightly loaded) took 5.7 s for the list CSV and 23.6 s for the screening
# evidence at 50,000 partners: about 0.11 ms and 0.47 ms a partner, so 5,000 and 2,000
# partners stay near 0.6 s and 1 s (bench/exports.py measures both paths).
LIST_IMMEDIATE_BELOW = 5000
EVIDENCE_IMMEDIATE_BELOW = 2000


def _partners(company: Any, user: Any) -> Any:
    return BusinessPartner.objects.for_user(user, "view").filter(company=company)


def partner_count(company: Any, user: Any, parameters: dict[str, Any]) -> int:
    return int(_partners(company, user).count())


def partner_csv(context: ExportContext) -> Output:
    from partners.views import PARTNERS

    queryset = _partners(context.company, context.user).select_related("relationship_owner")
    return list_csv(PARTNERS, queryset, context, f"partners-{context.company.pk}.csv")


def screening_evidence_csv(context: ExportContext) -> Output:
    from partners import evidence

    partners = _partners(context.company, context.user)
    context.progress.set_total(partners.count())
    rows = evidence.company_rows(partners)
    return Output(
        f"screening-evidence-{context.company.pk}.csv",
        "text/csv; charset=utf-8",
        csv_text(rows, context.progress),
    )


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from core import export_jobs

    export_jobs.register(
        "partners.csv",
        _("Partner list (CSV)"),
        build="partners.exporting.partner_csv",
        count="partners.exporting.partner_count",
        immediate_below=LIST_IMMEDIATE_BELOW,
    )
    export_jobs.register(
        "partners.screening-evidence",
        _("Screening evidence of every partner (CSV)"),
        build="partners.exporting.screening_evidence_csv",
        count="partners.exporting.partner_count",
        immediate_below=EVIDENCE_IMMEDIATE_BELOW,
    )
