"""Operations figures as evidence on the MSC criteria of the security profile.

`evidence_for(company, criterion_id)` answers, for one criterion ID ("5.3", "6.6", "8.1"…),
the figures of the last twelve months that show how the criterion is practised: the share
of outbound loads with a complete inspection and missed supervisor sign-offs (5.x), seal
discrepancies and the last inventory audit (6.x), pest findings (5.7, 7.2, 8.x). Other
criteria get an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from inspections import kpis

INSPECTION_CRITERIA = {"5.2", "5.3", "5.4", "5.5", "5.6", "5.8"}
PEST_CRITERIA = {"5.7", "7.2", "8.1", "8.2"}
SEAL_PREFIX = "6."


@dataclass(frozen=True)
class Figure:
    """One figure shown beside a criterion: what it is, its value and where it comes from."""

    label: str
    value: str
    url: str


def _year(company: Company) -> list[kpis.Period]:
    return kpis.monthly(company, end=timezone.localdate(), months=12)


def evidence_for(company: Company, criterion_id: str) -> list[Figure]:
    ref = criterion_id.strip()
    wants_inspections = ref in INSPECTION_CRITERIA
    wants_pests = ref in PEST_CRITERIA or ref.startswith("8.")
    wants_seals = ref.startswith(SEAL_PREFIX)
    if not (wants_inspections or wants_pests or wants_seals):
        return []
    periods = _year(company)
    url = reverse("inspections:operations-kpis", args=[company.pk])
    figures: list[Figure] = []
    if wants_inspections:
        outbound = sum(p.outbound for p in periods)
        complete = sum(p.outbound_complete for p in periods)
        share = f"{100 * complete / outbound:.1f} %" if outbound else _("no outbound loads")
        figures.append(
            Figure(
                _("Outbound loads with a complete inspection, last 12 months"),
                f"{share} ({complete}/{outbound})" if outbound else share,
                url,
            )
        )
        figures.append(
            Figure(
                _("Inspections not signed off by a supervisor within 24 hours, last 12 months"),
                str(sum(p.missed_signoffs for p in periods)),
                url,
            )
        )
    if wants_pests or ref == "5.7":
        figures.append(
            Figure(
                _("Inspections with pests or contamination found, last 12 months"),
                str(sum(p.pest_findings for p in periods)),
                url,
            )
        )
    if wants_seals:
        from seals.models import SealAudit

        figures.append(
            Figure(
                _("Seal discrepancies, last 12 months"),
                str(sum(p.seal_discrepancies for p in periods)),
                reverse("seals:seal-list", args=[company.pk]),
            )
        )
        audit = SealAudit.objects.filter(company=company).first()
        figures.append(
            Figure(
                _("Last seal inventory audit"),
                (
                    f"{audit.at:%Y-%m-%d}: "
                    + (_("matches the log") if audit.reconciled else _("differences found"))
                )
                if audit
                else _("none recorded"),
                reverse("seals:seal-audit", args=[company.pk]),
            )
        )
    return figures
