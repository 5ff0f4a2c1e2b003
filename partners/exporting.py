"""The partner exports run through `core.export_jobs` (registered in `PartnersConfig`):
the partner list CSV and the company-wide screening evidence CSV. Under
`IMMEDIATE_BELOW` partners the file is built in the request (measured: well under 2 s),
above it in the background with progress."""

from __future__ import annotations

from typing import Any

from core.export_jobs import ExportContext, Output, csv_text, list_csv
from partners.models import BusinessPartner

# Partners below which the CSV is built in the request. Measured on SQLite (bench in the
# exports report): ~2,000 partners take 0.3 s for the list CSV and 0.5 s for the
# screening evidence; 5,000 take over 1 s and 50,000 take 5–24 s.
IMMEDIATE_BELOW = 2000


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
        immediate_below=IMMEDIATE_BELOW,
    )
    export_jobs.register(
        "partners.screening-evidence",
        _("Screening evidence of every partner (CSV)"),
        build="partners.exporting.screening_evidence_csv",
        count="partners.exporting.partner_count",
        immediate_below=IMMEDIATE_BELOW,
    )
