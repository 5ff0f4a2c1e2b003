"""Every deadline of the lifecycle, as plain date arithmetic (domain.md §5.1, §5.2).

The models and the workflow ask these functions, so a clock is defined in one place.
Clocks set by law carry their source; the ones CBP publishes no figure for are settings
(`CTPAT_*`, docs/configuration.md) that the pages label as the organisation's rule.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from certification.choices import AppealKind

CERTIFICATION_SLA_DAYS = 90  # 6 U.S.C. 964: certify within 90 days of the application
VALIDATION_DUE_YEARS = 1  # 6 U.S.C. 965: validate within 1 year after certification
REVALIDATION_YEARS = 4  # 6 U.S.C. 969: revalidate at least once in each 4-year period
APPEAL_FILING_DAYS = {AppealKind.BENEFIT_DENIAL: 90, AppealKind.FALSE_INFORMATION: 30}
APPEAL_DECISION_DAYS = 180  # 6 U.S.C. 967: decided within 180 days of filing


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def certification_due(applied: datetime.date) -> datetime.date:
    return applied + datetime.timedelta(days=CERTIFICATION_SLA_DAYS)


def validation_due(certified: datetime.date) -> datetime.date:
    return add_years(certified, VALIDATION_DUE_YEARS)


def revalidation_due(last_validated: datetime.date) -> datetime.date:
    return add_years(last_validated, REVALIDATION_YEARS)


def suspension_response_due(suspended: datetime.date) -> datetime.date:
    """The member's window to answer a suspension letter (CTPAT_SUSPENSION_RESPONSE_DAYS;
    the organisation's rule)."""
    return suspended + datetime.timedelta(days=settings.CTPAT_SUSPENSION_RESPONSE_DAYS)


def appeal_filing_deadline(kind: str, decided: datetime.date) -> datetime.date:
    return decided + datetime.timedelta(days=APPEAL_FILING_DAYS[AppealKind(kind)])


def appeal_decision_due(filed: datetime.date) -> datetime.date:
    return filed + datetime.timedelta(days=APPEAL_DECISION_DAYS)


def reapply_allowed_from(removed: datetime.date) -> datetime.date:
    """A removed company may apply again after CTPAT_REAPPLY_BAR_YEARS (the organisation's
    rule)."""
    return add_years(removed, settings.CTPAT_REAPPLY_BAR_YEARS)


def validation_response_due(report_approved: datetime.date) -> datetime.date:
    """The member's time to answer a validation report's required actions
    (CTPAT_VALIDATION_RESPONSE_DAYS; CBP publishes no figure)."""
    return report_approved + datetime.timedelta(days=settings.CTPAT_VALIDATION_RESPONSE_DAYS)
