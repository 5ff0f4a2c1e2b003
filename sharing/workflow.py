"""Profile-sharing verbs: request a summary, accept it with a scope or reject it, revoke,
and build the scoped summary from the sharer's latest submitted snapshot.

Who can be asked: the members status verification lets others find (consenting and
certified, validated or suspended). Every other company, and an id that does not
exist, gets the same refusal, so a request never reveals that a company is in the portal.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Company
from core.refusals import NotAllowed
from core.tenancy import roles_allowing
from notices.workflow import notify
from partners.models import BusinessPartner
from profiles.choices import ResponseStatus
from profiles.models import Submission
from sharing.models import PART_FIELDS, Share, ShareView
from verification.workflow import findable

if TYPE_CHECKING:
    from accounts.models import User


class SharingRefused(NotAllowed):
    """A sharing step was refused; the message says why and what to do."""

    code = "sharing_refused"


def not_found() -> SharingRefused:
    # The one answer for unknown, non-consenting and not-certified companies alike.
    return SharingRefused(_("partner: no participating member with that id."))


def request_share(
    customer: Company,
    sharer_id: int,
    *,
    by: User,
    business_partner: BusinessPartner | None = None,
    message: str = "",
) -> Share:
    """Ask a findable member for its profile summary. An open request or an active share
    with the same partner is returned instead of a second one."""
    if not Company.objects.for_user(by, "edit").filter(pk=customer.pk).exists():
        raise SharingRefused(_("Only the company's own users request summaries."))
    sharer = findable().exclude(pk=customer.pk).filter(pk=sharer_id).first()
    if sharer is None:
        raise not_found()
    if business_partner is not None and business_partner.company_id != customer.pk:
        raise SharingRefused(_("business partner: choose one of your own partner records."))
    pair = Share.objects.filter(requester=customer, sharer=sharer)
    existing = pair.filter(status=Share.Status.REQUESTED).first() or pair.active().first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            share = Share.objects.create(
                requester=customer,
                sharer=sharer,
                requested_by=by,
                business_partner=business_partner,
                message=message.strip(),
            )
    except IntegrityError:
        # A concurrent request for the same pair won the unique constraint.
        return pair.get(status=Share.Status.REQUESTED)
    # The sharer's managers hear of it in their inbox and by e-mail (notices.workflow).
    notify(
        "share_requested",
        str(share.pk),
        company=sharer,
        roles=roles_allowing("manage"),
        url=share.get_absolute_url(),
        title=gettext_lazy("%(name)s asks for your security profile summary"),
        params={"name": customer.legal_name},
        body=gettext_lazy(
            "%(name)s asks for a summary of your CTPAT security profile. Your officer or an "
            "administrator chooses what to share, or rejects, on the Profile sharing page."
        ),
    )
    return share


def accept(
    share: Share, *, by: User, parts: list[str], expires_on: datetime.date | None = None
) -> Share:
    """The sharer's officer or administrator consents, naming the parts and an optional
    last day. Raises SharingRefused (not a manager, already decided) or ValidationError."""
    _check_manager(share, by)
    if share.status != Share.Status.REQUESTED:
        raise SharingRefused(_("This request was already decided."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("Choose today or a later date, or leave it empty.")})
    for part, field in PART_FIELDS.items():
        setattr(share, field, part in parts)
    share.status = Share.Status.ACCEPTED
    share.expires_on = expires_on
    share.decided_by = by
    share.decided_at = timezone.now()
    share.full_clean(exclude=["business_partner", "requested_by", "requester", "sharer"])
    share.save()
    _notify(
        [share.requested_by.email],
        _("%(name)s shared its security profile summary") % {"name": share.sharer.legal_name},
        _("%(name)s shared a summary of its security profile with %(customer)s: %(parts)s.")
        % {
            "name": share.sharer.legal_name,
            "customer": share.requester.legal_name,
            "parts": "; ".join(share.part_labels()),
        },
    )
    return share


def reject(share: Share, *, by: User) -> Share:
    _check_manager(share, by)
    if share.status != Share.Status.REQUESTED:
        raise SharingRefused(_("This request was already decided."))
    share.status = Share.Status.REJECTED
    share.decided_by = by
    share.decided_at = timezone.now()
    share.save()
    _notify(
        [share.requested_by.email],
        _("%(name)s declined to share its security profile summary")
        % {"name": share.sharer.legal_name},
        _("%(name)s declined the request of %(customer)s for its security profile summary.")
        % {"name": share.sharer.legal_name, "customer": share.requester.legal_name},
    )
    return share


def revoke(share: Share, *, by: User) -> Share:
    """End an accepted share now; the customer sees nothing more of it."""
    _check_manager(share, by)
    if share.status != Share.Status.ACCEPTED:
        raise SharingRefused(_("Only a shared summary can be revoked."))
    share.status = Share.Status.REVOKED
    share.revoked_by = by
    share.revoked_at = timezone.now()
    share.save()
    return share


def _notify(recipients: list[str], subject: str, body: str) -> None:
    """E-mail after the change is committed, so a rolled-back decision sends nothing."""
    recipients = sorted({r for r in recipients if r})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, recipients, fail_silently=True)
        )


def _check_manager(share: Share, by: User) -> None:
    if not Company.objects.for_user(by, "manage").filter(pk=share.sharer_id).exists():
        raise SharingRefused(_("Only the sharing company's officer or administrators decide."))


def record_view(share: Share, *, by: User, channel: str) -> ShareView:
    return ShareView.objects.create(share=share, viewer=by, channel=channel)


def latest_submission(company: Company) -> Submission | None:
    return Submission.objects.filter(company=company).order_by("-number").first()


def summary(share: Share) -> dict[str, Any]:
    """What the customer may see, as plain data shared by the page, the PDF and the API.

    Only the parts in the share's scope are present as keys; a part whose source is
    missing (no certification yet, no submission yet) is present with the value None.
    Readiness and criteria come from the latest submitted snapshot, never the draft."""
    sharer = share.sharer
    data: dict[str, Any] = {
        "sharer": sharer.legal_name,
        "parts": share.parts(),
        "expires_on": share.expires_on.isoformat() if share.expires_on else None,
        "shared_on": timezone.localdate(share.decided_at).isoformat() if share.decided_at else None,
    }
    if share.share_status:
        certification = getattr(sharer, "certification", None)
        data["certification"] = (
            {
                "status": certification.status,
                "status_label": str(certification.get_status_display()),
                "tier": certification.tier,
            }
            if certification is not None
            else None
        )
    parts = share.parts()
    if not ({"readiness", "criteria", "submitted"} & set(parts)):
        return data
    submission = latest_submission(sharer)
    snapshot: dict[str, Any] = submission.snapshot if submission is not None else {}
    if share.share_submitted:
        data["submitted_on"] = (
            timezone.localdate(submission.submitted_at).isoformat() if submission else None
        )
    if share.share_readiness or share.share_criteria:
        catalogue = snapshot.get("catalogue") or {}
        data["catalogue"] = catalogue.get("name") if submission else None
    if share.share_readiness:
        data["readiness"] = _readiness(snapshot) if submission else None
    if share.share_criteria:
        data["criteria"] = _criteria(snapshot) if submission else None
    return data


def _readiness(snapshot: dict[str, Any]) -> dict[str, Any]:
    readiness = snapshot.get("readiness") or {}
    return {
        "overall": readiness.get("overall"),
        "categories": [
            {"number": c["number"], "name": c["name"], "score": c.get("score")}
            for c in readiness.get("categories", [])
        ],
    }


MET = "met"
NOT_MET = "not_met"
NOT_APPLICABLE = "not_applicable"


def verdict(status: str) -> str:
    """Met only when implemented; partly, not implemented and unanswered are not met."""
    if status == ResponseStatus.IMPLEMENTED:
        return MET
    if status == ResponseStatus.NOT_APPLICABLE:
        return NOT_APPLICABLE
    return NOT_MET


def _criteria(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    categories: dict[int, dict[str, Any]] = {}
    for entry in snapshot.get("criteria", []):
        number = int(entry["category_number"])
        category = categories.setdefault(
            number,
            {
                "number": number,
                "name": entry.get("category_name", ""),
                MET: [],
                NOT_MET: [],
                NOT_APPLICABLE: [],
            },
        )
        category[verdict(entry.get("status", ""))].append(
            {
                "ref_id": entry["ref_id"],
                "summary": entry.get("summary", ""),
                "requirement": entry.get("requirement", ""),
            }
        )
    return [categories[k] for k in sorted(categories)]
