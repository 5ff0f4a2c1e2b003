"""Status verification verbs: join (the officer signs the consent), search, request and
decide monitoring, notify monitors of a status change, and the signed certificate link.

Who can be found: a company whose officer signed the consent and whose account is
certified, validated or suspended. Everything else (no consent, removed, never certified,
unknown) looks exactly the same from outside: not found.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.cache import cache, caches
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.choices import State
from companies.models import Company, Membership
from core.refusals import NotAllowed
from verification.models import Consent, MonitoringRequest, StatusNotice

if TYPE_CHECKING:
    from accounts.models import User
    from certification.models import Certification

VISIBLE_STATES = (State.CERTIFIED, State.VALIDATED, State.SUSPENDED)
LINK_SALT = "verification.certificate"
LINK_MAX_AGE = 30 * 24 * 3600  # a certificate link proves the status for 30 days
ACCOUNT_PREFIX = "CT"


class VerificationRefused(NotAllowed):
    """A status-verification step was refused; the message says why."""

    code = "verification_refused"


def findable() -> QuerySet[Company]:
    """Companies other members may find: consenting and holding (or suspended from) a
    certification."""
    return Company.objects.filter(
        svi_consent__isnull=False, certification__status__in=VISIBLE_STATES
    ).select_related("certification")


def has_consented(company: Company) -> bool:
    return Consent.objects.filter(company=company).exists()


def sign_consent(company: Company, *, by: User, name: str, title: str) -> Consent:
    """The officer signs the consent; signing again keeps the first signature."""
    if not Company.objects.for_user(by, "sign").filter(pk=company.pk).exists():
        raise VerificationRefused(_("Only the company officer signs the consent."))
    if not name.strip() or not title.strip():
        raise VerificationRefused(_("name and title: type your full name and title to sign."))
    consent, _created = Consent.objects.get_or_create(
        company=company,
        defaults={
            "signed_by": by,
            "signer_name": name.strip(),
            "signer_title": title.strip(),
            "signed_at": timezone.now(),
        },
    )
    return consent


def set_auto_accept(company: Company, *, accept: bool) -> Consent | None:
    """Whether the company accepts partners' monitoring requests without a decision each
    time. Saved through the row (not a bulk update), so the audit trail records who changed
    it; a company that has not consented has nothing to change (None)."""
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(company=company).first()
        if consent is not None and consent.auto_accept != accept:
            consent.auto_accept = accept
            consent.save(update_fields=["auto_accept", "updated_at"])
    return consent


def search(company: Company, text: str) -> list[Company]:
    text = text.strip()
    if len(text) < 2:
        return []
    matches = findable().filter(Q(legal_name__icontains=text) | Q(dba__icontains=text))
    return list(matches.exclude(pk=company.pk).order_by("legal_name")[:25])


def request_monitoring(company: Company, partner_id: int, *, by: User) -> MonitoringRequest:
    if not has_consented(company):
        raise VerificationRefused(
            _("Join status verification (the officer signs) before sending requests.")
        )
    partner = findable().exclude(pk=company.pk).filter(pk=partner_id).first()
    if partner is None:
        raise VerificationRefused(_("partner: no participating member with that id."))
    with transaction.atomic():
        request, created = MonitoringRequest.objects.get_or_create(
            requester=company, partner=partner, defaults={"requested_by": by}
        )
        if created and Consent.objects.filter(company=partner, auto_accept=True).exists():
            request.status = MonitoringRequest.Status.ACCEPTED
            request.decided_at = timezone.now()
            request.save(update_fields=["status", "decided_at", "updated_at"])
    return request


def decide_request(request: MonitoringRequest, *, by: User, accept: bool) -> MonitoringRequest:
    if not Company.objects.for_user(by, "manage").filter(pk=request.partner_id).exists():
        raise VerificationRefused(_("Only the partner's administrators decide requests."))
    request.status = (
        MonitoringRequest.Status.ACCEPTED if accept else MonitoringRequest.Status.REJECTED
    )
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return request


def status_changed(sender: type, certification: Certification, **kwargs: Any) -> None:
    """Receiver of `certification.signals.status_changed`: the public status card forgets
    the old status, and every company monitoring this member is told (a notice row in the
    transition's transaction, an e-mail to the monitor's officers and admins after commit)."""
    forget_card(certification.company_id)
    company = certification.company
    if not has_consented(company):
        return
    monitors = MonitoringRequest.objects.filter(
        partner=company, status=MonitoringRequest.Status.ACCEPTED
    ).values_list("requester_id", flat=True)
    for monitor_id in monitors:
        StatusNotice.objects.create(
            company_id=monitor_id,
            partner=company,
            status=certification.status,
            tier=certification.tier,
        )
    if not monitors:
        return
    recipients = list(
        Membership.objects.filter(company_id__in=list(monitors), role__in=["officer", "admin"])
        .values_list("user__email", flat=True)
        .distinct()
    )
    subject = _("Status change of a monitored partner: %(name)s") % {"name": company.legal_name}
    body = _("%(name)s (%(account)s) is now: %(status)s.") % {
        "name": company.legal_name,
        "account": company.account_number,
        "status": certification.get_status_display(),
    }
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


def _account_pk(account_number: str) -> int | None:
    number = account_number.strip().upper()
    if not number.startswith(ACCOUNT_PREFIX) or not number[2:].isdigit() or len(number) != 9:
        return None
    return int(number[2:])


def lookup(account_number: str) -> Company | None:
    """The consenting member with this account number, or None, whatever the reason."""
    pk = _account_pk(account_number)
    if pk is None:
        return None
    # No ORDER BY: one row at most, and sorting by name would cost the hot path.
    found = list(findable().filter(pk=pk).order_by()[:1])
    return found[0] if found else None


# The public look-up answers from the cache: building the query costs ten times the rest of
# the request. Saving a company or its consent, or a change of status, forgets the entry
# (see `forget_card`, wired in apps.py); the expiry is only a safety net for bulk updates.
CARD_CACHE_SECONDS = 60
# In front of the shared cache, each process keeps a card it answered for this long
# (settings.CACHES["status_cards"]): a busy member looked up many times a second costs the
# shared cache one read per process every few seconds. The process that records a change
# forgets its copy at once; the other processes answer the new status within this time.
CARD_MEMORY_SECONDS = 5
_NOT_SHOWN = "-"


def _card_key(pk: int) -> str:
    return f"verification:card:{pk}"


def lookup_card(account_number: str) -> dict[str, Any] | None:
    """The public status card of a consenting member, or None whatever the reason."""
    pk = _account_pk(account_number)
    if pk is None:
        return None
    key = _card_key(pk)
    memory = caches["status_cards"]
    card = memory.get(key)
    if card is None:
        card = cache.get(key)
        if card is None:
            company = lookup(account_number)
            card = dataclasses.asdict(StatusCard.of(company)) if company else _NOT_SHOWN
            cache.set(key, card, CARD_CACHE_SECONDS)
        memory.set(key, card, CARD_MEMORY_SECONDS)
    return None if card == _NOT_SHOWN else dict(card)


def forget_card(company_pk: int | None) -> None:
    """Drop the cached card now and again after the transaction commits, so a reader
    between the two cannot keep the old status."""
    if company_pk is None:
        return
    key = _card_key(company_pk)

    def forget() -> None:
        caches["status_cards"].delete(key)
        cache.delete(key)

    forget()
    transaction.on_commit(forget)


@dataclass(frozen=True)
class StatusCard:
    account_number: str
    legal_name: str
    dba: str
    business_type: str
    status: str
    tier: int | None
    certified_since: Any

    @classmethod
    def of(cls, company: Company) -> StatusCard:
        certification = company.certification
        certified_at = certification.certified_at
        return cls(
            account_number=company.account_number,
            legal_name=company.legal_name,
            dba=company.dba,
            business_type=company.business_type,
            status=certification.status,
            tier=certification.tier,
            certified_since=timezone.localdate(certified_at) if certified_at else None,
        )


def certificate_link(company: Company) -> str:
    token = signing.dumps({"c": company.pk}, salt=LINK_SALT, compress=True)
    return reverse("verification:certificate-verify", args=[token])


def send_certificate(company: Company, *, by: User, email: str, base_url: str) -> None:
    """E-mail proof of certification to a non-member, with a signed link that expires."""
    if not Company.objects.for_user(by, "edit").filter(pk=company.pk).exists():
        raise VerificationRefused(_("Only the company's own users send its certificate."))
    if lookup(company.account_number) is None:
        raise VerificationRefused(
            _("Only a certified member that joined status verification can send a certificate.")
        )
    link = base_url + certificate_link(company)
    body = _(
        "%(name)s (%(account)s) asked us to send you proof of its CTPAT status. "
        "Check the current status here (the link works for 30 days): %(link)s"
    ) % {"name": company.legal_name, "account": company.account_number, "link": link}
    send_mail(_("CTPAT status of %(name)s") % {"name": company.legal_name}, body, None, [email])


def company_from_link(token: str) -> Company | None:
    """The company a certificate link names, if the link is genuine, unexpired and the
    company can still be verified; None otherwise."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    pk = data.get("c") if isinstance(data, dict) else None
    return findable().filter(pk=pk).first() if isinstance(pk, int) else None
