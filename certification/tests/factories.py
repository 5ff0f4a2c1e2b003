"""Builders for certification tests: an account put straight into any state, with the
conditions its transitions check already met."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from certification.choices import Outcome, ReportStatus, State, VettingItem
from certification.models import Certification, ValidationReport, VettingCheck
from companies.models import Company


def certification_in(state: str, company: Company, **fields: Any) -> Certification:
    """A certification in `state`, with the dates that state implies (set directly: a
    fixture, not a transition)."""
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=800)
    values: dict[str, Any] = {"status": state, "applied_at": long_ago}
    if state in (State.CERTIFIED, State.VALIDATED, State.SUSPENDED):
        values.update(certified_at=long_ago, tier=1)
    if state == State.VALIDATED:
        values.update(tier=2, last_validated_at=long_ago)
    if state == State.SUSPENDED:
        values.update(
            tier=None,
            prior_status=State.CERTIFIED,
            prior_tier=1,
            suspended_at=now - datetime.timedelta(days=200),
            suspension_reason="failed_validation",
        )
    if state == State.REMOVED:
        values.update(removed_at=long_ago)
    values.update(fields)
    Certification.objects.filter(company=company).delete()
    return Certification.objects.create(company=company, **values)


def clear_vetting(certification: Certification) -> None:
    for item in VettingItem.values:
        VettingCheck.objects.update_or_create(
            certification=certification, item=item, defaults={"outcome": Outcome.PASSED}
        )


def approved_report(
    certification: Certification, author: Any, supervisor: Any, tier: int = 2
) -> ValidationReport:
    return ValidationReport.objects.create(
        certification=certification,
        summary="Visited the Laredo warehouse.",
        tier_outcome=tier,
        status=ReportStatus.APPROVED,
        drafted_by=author,
        decided_by=supervisor,
        decided_at=timezone.now(),
    )


def load_real_dpl() -> None:
    """Load the shipped BIS Denied Persons List (581 entries) as the active list version,
    through the same command operators run."""
    import io

    from django.core.management import call_command

    from screening.index import default_lists_dir

    folder = default_lists_dir() / "bis_dpl_2022-09-07"
    call_command("load_watchlists", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
