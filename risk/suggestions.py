"""Suggested vulnerability levels (step 3), computed from evidence the portal holds.

For one supply chain and one MSC category the suggestion is the **highest** level among
its reasons, Low when there is no reason to worry. The reasons (each with its level):

Security profile, the category's criteria (every category):
- High: one or more Must criteria not implemented (or not answered), or no profile.
- Medium: the category's readiness score is below 80 %.
- Low: the category scores 80 % or more with every Must met (said, so the assessor sees why).

Corrective actions open with a criterion of the category (every category):
- High: one or more of them overdue. Medium: open, none overdue.

Business partners at the chain's nodes:
- Category 3 (business partners): High for an open screening alert; Medium for a partner
  without valid CTPAT / AEO status proof; Medium for an unanswered questionnaire.
- Categories 5-12 (practised at partners' sites and in transport): Medium for a partner
  with neither valid status proof nor an answered questionnaire — nothing shows how the
  partner meets the criteria.
- Categories 1, 2, 4 (the member's own corporate security): the profile and actions only.

The reasons are stored as codes with parameters and rendered in the reader's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from risk.choices import MSC_CATEGORIES, Level, highest

GOOD_SCORE = 80
PARTNER_CATEGORY = 3
PARTNER_SITE_CATEGORIES = frozenset(range(5, 13))


@dataclass
class CategoryFacts:
    score: int | None
    musts_unmet: int
    total: int


class PartnerNames(Mapping[int, str]):
    """A company's partner names, read only for the partners asked about: a chain names a
    handful of partners, the company may have 50,000 (reading them all cost 40 ms a page
    on PostgreSQL). `load(ids)` reads a batch in one query; later look-ups are free."""

    def __init__(self, company_id: int) -> None:
        self.company_id = company_id
        self._known: dict[int, str | None] = {}

    def load(self, ids: Iterable[int]) -> None:
        from partners.models import BusinessPartner

        missing = {pk for pk in ids if pk not in self._known}
        if not missing:
            return
        found = dict(
            BusinessPartner.objects.filter(company_id=self.company_id, pk__in=missing)
            .order_by()
            .values_list("pk", "name")
        )
        self._known.update({pk: found.get(pk) for pk in missing})

    def __getitem__(self, pk: int) -> str:
        self.load([pk])
        name = self._known[pk]
        if name is None:
            raise KeyError(pk)
        return name

    def __contains__(self, pk: object) -> bool:
        return isinstance(pk, int) and self.get(pk) is not None

    def __iter__(self) -> Iterator[int]:  # every partner: not on a page's path
        from partners.models import BusinessPartner

        ids = BusinessPartner.objects.filter(company_id=self.company_id).values_list("pk")
        return iter([pk for (pk,) in ids])

    def __len__(self) -> int:
        return sum(1 for _pk in self)


@dataclass
class Evidence:
    """Everything the suggestions read, fetched once per page for the whole company."""

    has_profile: bool
    categories: dict[int, CategoryFacts]
    partner_names: Mapping[int, str]
    with_status: set[int] | None  # None: status proof is not tracked in this installation
    open_questionnaires: set[int] | None
    alerts: set[int]
    open_actions: dict[int, list[datetime.date | None]] = field(default_factory=dict)
    today: datetime.date = field(default_factory=timezone.localdate)


def _category_of(criterion_ref: str) -> int | None:
    head = criterion_ref.strip().split(".")[0]
    return int(head) if head.isdigit() else None


def gather(
    company: Company,
    today: datetime.date | None = None,
    *,
    partner_ids: Iterable[int] | None = None,
) -> Evidence:
    """The evidence for suggestions about the chains naming `partner_ids` (every partner of
    the company when None): the partner facts (alerts, status proof, questionnaires) are
    read for those partners only, so a chain's page does not read 50,000 partners' worth
    of rows to judge three."""
    from actions.models import CorrectiveAction
    from partners.models import OPEN_STATUSES, PartnerScreening
    from profiles.models import SecurityProfile

    today = today or timezone.localdate()
    profile = SecurityProfile.current_for(company)
    categories: dict[int, CategoryFacts] = {}
    if profile is not None:
        for c in profile.readiness().categories:
            categories[c.number] = CategoryFacts(c.score, c.musts_unmet, c.total)
    open_actions: dict[int, list[datetime.date | None]] = {}
    for ref, due in (
        CorrectiveAction.objects.filter(company=company)
        .open()
        .values_list("criterion_ref", "due_date")
    ):
        number = _category_of(ref)
        if number is not None:
            open_actions.setdefault(number, []).append(due)
    among = None if partner_ids is None else sorted(set(partner_ids))
    screenings = PartnerScreening.objects.filter(partner__company=company, status__in=OPEN_STATUSES)
    if among is not None:
        screenings = screenings.filter(partner_id__in=among)
    alerts = set(screenings.values_list("partner_id", flat=True))
    return Evidence(
        has_profile=profile is not None,
        categories=categories,
        partner_names=PartnerNames(company.pk),
        with_status=_partners_with_status(company, today, among),
        open_questionnaires=_partners_with_open_questionnaires(company, today, among),
        alerts=alerts,
        open_actions=open_actions,
        today=today,
    )


def _partners_with_status(
    company: Company, today: datetime.date, among: list[int] | None
) -> set[int] | None:
    from recognition.evidence import partner_ids_with_valid_status

    return set(partner_ids_with_valid_status(company, today, among=among))


def _partners_with_open_questionnaires(
    company: Company, today: datetime.date, among: list[int] | None
) -> set[int] | None:
    from questionnaires.evidence import partner_ids_with_open_questionnaires

    return set(partner_ids_with_open_questionnaires(company, today, among=among))


def _reason(level: str, code: str, **params: Any) -> dict[str, Any]:
    return {"level": level, "code": code, "params": params}


def _names(evidence: Evidence, ids: set[int]) -> str:
    return ", ".join(sorted(evidence.partner_names.get(pk, "?") for pk in ids))


def suggest(
    evidence: Evidence, partner_ids: set[int], category: int
) -> tuple[str, list[dict[str, Any]]]:
    """The suggested level for one category of a chain whose nodes name `partner_ids`,
    and the reasons behind it (see the module docstring for the rules)."""
    reasons: list[dict[str, Any]] = []
    facts = evidence.categories.get(category)
    if not evidence.has_profile:
        reasons.append(_reason(Level.HIGH, "no_profile"))
    elif facts is None:
        reasons.append(_reason(Level.LOW, "not_applicable"))
    elif facts.musts_unmet:
        reasons.append(_reason(Level.HIGH, "musts_unmet", count=facts.musts_unmet))
    elif facts.score is not None and facts.score < GOOD_SCORE:
        reasons.append(_reason(Level.MEDIUM, "low_score", score=facts.score))
    else:
        reasons.append(_reason(Level.LOW, "profile_ok", score=facts.score))

    dues = evidence.open_actions.get(category, [])
    overdue = [d for d in dues if d is not None and d < evidence.today]
    if overdue:
        reasons.append(_reason(Level.HIGH, "actions_overdue", count=len(overdue)))
    elif dues:
        reasons.append(_reason(Level.MEDIUM, "actions_open", count=len(dues)))

    if isinstance(evidence.partner_names, PartnerNames):
        evidence.partner_names.load(partner_ids)  # one query for the chain's partners
    partners = {pk for pk in partner_ids if pk in evidence.partner_names}
    no_status = partners - evidence.with_status if evidence.with_status is not None else set()
    unanswered = partners & (evidence.open_questionnaires or set())
    if category == PARTNER_CATEGORY:
        if alerted := partners & evidence.alerts:
            reasons.append(_reason(Level.HIGH, "screening_alert", names=_names(evidence, alerted)))
        if no_status:
            reasons.append(_reason(Level.MEDIUM, "no_status", names=_names(evidence, no_status)))
        if unanswered:
            reasons.append(
                _reason(Level.MEDIUM, "questionnaire_open", names=_names(evidence, unanswered))
            )
    elif category in PARTNER_SITE_CATEGORIES and (unknown := no_status & unanswered):
        reasons.append(_reason(Level.MEDIUM, "partner_unknown", names=_names(evidence, unknown)))
    level = highest([r["level"] for r in reasons]) or Level.LOW.value
    return str(level), reasons


def _texts() -> dict[str, str]:
    return {
        "no_profile": _(
            "No security profile has been started, so nothing shows these criteria are met."
        ),
        "not_applicable": _(
            "No criterion of this category applies to the company's business type."
        ),
        "musts_unmet": _(
            "%(count)s Must criteria of this category are not implemented in the security profile."
        ),
        "low_score": _("The security profile scores %(score)s%% in this category (below 80%%)."),
        "profile_ok": _(
            "The security profile scores %(score)s%% in this category with every Must met."
        ),
        "actions_overdue": _("%(count)s corrective actions of this category are overdue."),
        "actions_open": _("%(count)s corrective actions of this category are still open."),
        "screening_alert": _("Open screening alert for: %(names)s."),
        "no_status": _("No valid CTPAT or AEO status proof for: %(names)s."),
        "questionnaire_open": _("Security questionnaire not answered by: %(names)s."),
        "partner_unknown": _(
            "Nothing shows how these partners meet the criteria (no status proof, "
            "questionnaire unanswered): %(names)s."
        ),
    }


def reason_text(reason: dict[str, Any]) -> str:
    """One stored reason in the reader's language."""
    params = reason.get("params") or {}
    texts = _texts()
    template = texts.get(str(reason.get("code")))
    if template is None:
        return str(reason.get("code"))
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def category_name(number: int) -> str:
    return f"{number}. {MSC_CATEGORIES.get(number, '?')}"
