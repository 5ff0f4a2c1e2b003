"""Vetting: the checks recorded before certification, and list screening of the company's
names through the screening engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.choices import (
    Outcome,
    VettingItem,
)
from certification.models import (
    Certification,
    VettingCheck,
)
from certification.workflow.checks import is_program_office, require
from certification.workflow.lifecycle import A, S
from companies.models import Company

if TYPE_CHECKING:
    from accounts.models import User


def record_vetting(
    certification: Certification, item: str, outcome: str, *, by: User, note: str = ""
) -> VettingCheck:
    require(is_program_office(by), _("Only the program office records vetting."))
    require(
        item in VettingItem.values, _("item: choose one of %s.") % ", ".join(VettingItem.values)
    )
    require(outcome in Outcome.values, _("outcome: choose one of %s.") % ", ".join(Outcome.values))
    require(
        certification.status in (S.APPLIED, S.UNDER_REVIEW),
        _("Vetting is recorded while the application is under review."),
    )
    if item == VettingItem.LIST_SCREENING and outcome != Outcome.PENDING:
        screened = VettingCheck.objects.filter(
            certification=certification, item=item, screened_at__isnull=False
        ).exists()
        require(
            screened,
            _("Run the list screening first; its hits are the evidence for the outcome."),
        )
    check, _created = VettingCheck.objects.update_or_create(
        certification=certification,
        item=item,
        defaults={"outcome": outcome, "note": note.strip(), "checked_by": by},
    )
    return check


SCREENING_TOP_HITS = 3


def vetting_names(company: Company) -> list[tuple[str, str, str]]:
    """(role, name, entity type) of every name the list screening covers: the legal
    name, the DBA and parent company, and the officers and senior managers named as
    contacts."""
    from companies.models import ContactKind

    names = [(_("Legal name"), company.legal_name, "organization")]
    if company.dba:
        names.append((_("Doing business as"), company.dba, "organization"))
    if company.parent_company:
        names.append((_("Parent company"), company.parent_company, "organization"))
    people = company.contacts.filter(
        kind__in=[ContactKind.OFFICER, ContactKind.SENIOR_MANAGEMENT]
    ).order_by("name")
    names += [(str(c.get_kind_display()), c.name, "person") for c in people]
    return names


def screen_for_vetting(certification: Certification, *, by: User) -> VettingCheck:
    """Run the company's names through the screening engine against the active list
    versions and store the hits (with explanations where a hit alerts) and the versions
    on the list-screening check. The outcome stays the specialist's to record."""
    from partners.workflow import versions_json
    from screening.index import active_index
    from screening.search import hit_to_dict
    from screening_engine import DEFAULT_THRESHOLD

    require(is_program_office(by), _("Only the program office records vetting."))
    require(
        certification.status in (S.APPLIED, S.UNDER_REVIEW),
        _("Vetting is recorded while the application is under review."),
    )
    index, versions = active_index()
    country = certification.company.country.code or None
    results = []
    for role, name, kind in vetting_names(certification.company):
        hits = index.search(
            name,
            country=country if kind == "organization" else None,
            top=SCREENING_TOP_HITS,
            min_score=0.0,
        )
        results.append(
            {
                "role": role,
                "name": name,
                "hits": [hit_to_dict(h, DEFAULT_THRESHOLD) for h in hits],
            }
        )
    with transaction.atomic():
        check, _created = VettingCheck.objects.select_for_update().get_or_create(
            certification=certification, item=VettingItem.LIST_SCREENING
        )
        check.screening_results = results
        check.list_versions = versions_json(versions) or [
            {"id": None, "source": "files", "list_date": "", "sha256": ""}
        ]
        check.screened_at = timezone.now()
        check.checked_by = by
        check.save()
    return check


def override_vetting(check: VettingCheck, *, by: User, reason: str) -> VettingCheck:
    require(by.program_role == A.SUPERVISOR, _("Only a supervisor may override vetting."))
    require(bool(reason.strip()), _("override_reason: say why the item is overridden."))
    check.override_by = by
    check.override_reason = reason.strip()
    check.save(update_fields=["override_by", "override_reason", "updated_at"])
    return check
