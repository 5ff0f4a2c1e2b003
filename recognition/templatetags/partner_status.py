"""`{% partner_status_panel partner %}`: the program-status panel of a partner's page
(vetting path, linked member's live status, recorded statuses with proofs)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from partners.models import BusinessPartner
from recognition import evidence
from recognition.forms import ProofForm, RevokeForm
from recognition.models import MemberLink, PartnerStatus

register = template.Library()


@register.inclusion_tag("recognition/_status_panel.html", takes_context=True)
def partner_status_panel(context: Any, partner: BusinessPartner) -> dict[str, Any]:
    request = context["request"]
    today = timezone.localdate()
    statuses = list(
        PartnerStatus.objects.filter(partner=partner)
        .select_related("verified_by")
        .prefetch_related("proofs")
    )
    rows = []
    for item in statuses:
        proofs = list(item.proofs.all())
        counts = item.recognised and item.is_current(today) and bool(proofs)
        current = item.is_current(today)
        rows.append(
            {
                "status": item,
                "proof": proofs[0] if proofs else None,
                "counts": counts,
                "why_not": "" if counts else item.why_not_counting(today),
                "expiring": item.expires_on is not None
                and current
                and (item.expires_on - today).days <= 60,
                "arrangement": item.arrangement,
            }
        )
    link = MemberLink.objects.filter(partner=partner).select_related("member").first()
    card = evidence.member_status(link) if link else None
    counts = any(r["counts"] for r in rows) or evidence.member_counts(card)
    counts = counts and not partner.on_hold  # a confirmed match blocks the short path
    can_edit = BusinessPartner.objects.for_user(request.user, "edit").filter(pk=partner.pk).exists()
    return {
        "request": request,
        "company": partner.company,
        "partner": partner,
        "path": evidence.SHORT if counts else evidence.FULL,
        "rows": rows,
        "link": link,
        "card": card,
        "card_counts": evidence.member_counts(card),
        "can_edit": can_edit,
        "proof_form": ProofForm(),
        "revoke_form": RevokeForm(initial={"revoked_on": today}),
    }
