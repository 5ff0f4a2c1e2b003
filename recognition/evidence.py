"""What other apps ask about partners' program status (MSC 3.4).

- `partner_ids_with_valid_status(company)` (or `valid_status_partners`, the same as a
  filter for counting in SQL): the company's partners that meet the status
  requirement today: a current CTPAT or MRA-recognised status with proof, or a link to an
  OpenCTPAT member that is certified or validated and still consents to be found.
- `vetting_path(partner)`: "short" (proof + screening) for those partners, "full"
  (the security questionnaire) for everyone else. A partner on hold after a confirmed
  watchlist match never takes the short path, whatever its status.
- `member_status(link)`: the live status card of a linked member, or None when the member
  can no longer be found (no consent, removed…: the reason is never told).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from certification.choices import CERTIFIED_STATES
from recognition.arrangements import load_arrangements
from recognition.models import MemberLink, PartnerStatus

if TYPE_CHECKING:
    from companies.models import Company
    from partners.models import BusinessPartner
    from verification.workflow import StatusCard

SHORT, FULL = "short", "full"


def _recognised_q() -> Q:
    """(program, country) pairs that count, as one filter."""
    by_program: dict[str, set[str]] = {}
    for program, country in load_arrangements().recognised_pairs():
        by_program.setdefault(program, set()).add(country)
    q = Q(pk__in=[])
    for program, codes in by_program.items():
        q |= Q(program=program, country__in=sorted(codes))
    return q


def _counting_statuses(today: datetime.date) -> Q:
    return (
        _recognised_q()
        & Q(issued_on__lte=today, proofs__isnull=False)
        & ~Q(expires_on__lt=today)
        & ~Q(revoked_on__lte=today)
    )


def _valid_sources(company: Company, today: datetime.date | None) -> tuple[Any, Any]:
    """The statuses and member links that put a partner of `company` on the short path."""
    from partners.models import BusinessPartner
    from verification.workflow import findable

    today = today or timezone.localdate()
    # The partner tested by key (EXISTS), not joined: the few statuses and links lead,
    # where `partner.company_id = %s` made SQLite walk all 50,000 partners first.
    usable = Exists(
        BusinessPartner.objects.filter(pk=OuterRef("partner_id"), company=company, on_hold=False)
    )
    statuses = PartnerStatus.objects.filter(usable).filter(_counting_statuses(today))
    certified_members = findable().filter(certification__status__in=CERTIFIED_STATES)
    links = MemberLink.objects.filter(usable, member__in=certified_members.values("pk"))
    return statuses, links


def valid_status_partners(company: Company, today: datetime.date | None = None) -> Q:
    """A filter of `BusinessPartner` rows: the partners `partner_ids_with_valid_status`
    names, as one subquery (statuses UNION links), so a count over them stays in the
    database and starts from the few ids: `pk IN (a) OR pk IN (b)` made PostgreSQL test
    both against every one of 50,000 partners."""
    statuses, links = _valid_sources(company, today)
    ids = statuses.order_by().values("partner_id").union(links.order_by().values("partner_id"))
    return Q(pk__in=ids)


def partner_ids_with_valid_status(
    company: Company, today: datetime.date | None = None, *, among: Iterable[int] | None = None
) -> set[int]:
    """Ids of the company's business partners that hold a current, recognised status
    (only those `among` the given ids when given: a page about a few partners reads only
    theirs, not 50,000)."""
    statuses, links = _valid_sources(company, today)
    if among is not None:
        wanted = sorted(set(among))
        statuses, links = (
            statuses.filter(partner_id__in=wanted),
            links.filter(partner_id__in=wanted),
        )
    ids = set(statuses.values_list("partner_id", flat=True))
    return ids | set(links.values_list("partner_id", flat=True))


def member_status(link: MemberLink) -> StatusCard | None:
    """The linked member's status now, or None when it can no longer be found."""
    from verification.workflow import StatusCard, findable

    member = findable().filter(pk=link.member_id).first()
    return StatusCard.of(member) if member else None


def member_counts(card: StatusCard | None) -> bool:
    return card is not None and card.status in CERTIFIED_STATES


def has_valid_status(partner: BusinessPartner, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    if partner.on_hold:
        return False
    if PartnerStatus.objects.filter(partner=partner).filter(_counting_statuses(today)).exists():
        return True
    link = MemberLink.objects.filter(partner=partner).first()
    return link is not None and member_counts(member_status(link))


def vetting_path(partner: BusinessPartner, today: datetime.date | None = None) -> str:
    """ "short" (proof + screening) when the partner meets the status requirement, else
    "full" (the full security questionnaire)."""
    return SHORT if has_valid_status(partner, today) else FULL
