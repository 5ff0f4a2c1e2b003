"""Who may join CTPAT Trade Compliance: a U.S. importer that is a CTPAT security partner of
tier 2 or 3 (certified and validated) in good standing (domain §5.4; CBP's Trade
Compliance FAQs). The certification state is read from the certification app's record,
never changed here. `check()` says plainly why a company is not eligible."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from certification.choices import State
from certification.models import Certification
from companies.choices import BusinessType
from companies.models import Company

ELIGIBLE_TIERS = (2, 3)


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    status: str = ""
    tier: int | None = None


def check(company: Company) -> Verdict:
    """Whether `company` may apply to (or be approved for) Trade Compliance, and if not why."""
    reasons: list[str] = []
    if company.business_type != BusinessType.IMPORTER:
        reasons.append(
            _(
                "Trade Compliance is open to importers only; this company is registered as "
                "“%(type)s”."
            )
            % {"type": company.get_business_type_display()}
        )
    row = Certification.objects.filter(company=company).values("status", "tier").first()
    status = row["status"] if row else State.DRAFT
    tier = row["tier"] if row else None
    label = State(status).label
    if status == State.SUSPENDED:
        reasons.append(
            _(
                "The company's CTPAT certification is suspended, so it is not in good "
                "standing; Trade Compliance needs a certification in good standing."
            )
        )
    elif status == State.CERTIFIED:
        reasons.append(
            _(
                "The company is certified at tier 1 but not validated yet; Trade Compliance "
                "needs a validated CTPAT partner (tier 2 or 3)."
            )
        )
    elif status != State.VALIDATED or tier not in ELIGIBLE_TIERS:
        reasons.append(
            _(
                "The company is not a certified CTPAT security partner (its status is "
                "“%(status)s”); Trade Compliance needs a validated partner (tier 2 or 3) in "
                "good standing."
            )
            % {"status": label}
        )
    return Verdict(not reasons, reasons, status, tier)
