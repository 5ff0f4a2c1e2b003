"""Business verbs of partners' program status that the pages and the API share."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.refusals import Invalid, NotAllowed
from core.uploads import CheckedFile, attach, store_file
from recognition.models import PROOF_KINDS, MemberLink, PartnerStatus, StatusProof

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from companies.models import Company
    from partners.models import BusinessPartner


class ProofRequired(Invalid):
    """A status is recorded with its proof, never without (page and API alike)."""

    code = "proof_required"
    default_message = gettext_lazy(
        "Upload the proof document (the certificate or a letter) with the status."
    )


class ProofMissing(NotAllowed):
    """A status is marked verified only once its proof is on file."""

    code = "proof_missing"
    default_message = gettext_lazy("Upload the proof document before marking it verified.")


class RevocationInvalid(Invalid):
    """The revocation does not hold (no reason, or a date before the status was issued)."""

    code = "revocation_invalid"


def record_status(
    item: PartnerStatus, *, upload: UploadedFile[bytes] | None, by: User
) -> PartnerStatus:
    """Record a partner's program status together with its first proof, in one
    transaction: the page's form and `POST /api/v1/partner-statuses/` both come here, and
    both refuse a status without a proof (`ProofRequired`). The status fields were checked
    by the caller's form or serializer (the model's `full_clean()`); the file is checked
    by content here, and nothing stays behind if it is refused."""
    if upload is None:
        raise ProofRequired
    add_proof(item, upload=upload, by=by, save_status=True)
    return item


def add_proof(
    item: PartnerStatus, *, upload: UploadedFile[bytes], by: User, save_status: bool = False
) -> StatusProof:
    """Store a proof of the partner's status (a certificate, a letter), checked against the
    proof file types. With `save_status`, the new status row is saved in the same
    transaction, so a status recorded on the page never stands without its proof; the
    stored file is removed again if anything fails."""

    def write(stored: str, checked: CheckedFile) -> StatusProof:
        if save_status:
            item.save()
        proof = StatusProof(status=item)
        attach(proof, stored, checked, uploaded_by=by)
        proof.save()
        return proof

    folder = f"{StatusProof.folder}/{item.partner.company_id}"
    return store_file(upload, folder, write, PROOF_KINDS)


def verify_status(item: PartnerStatus, *, by: User) -> PartnerStatus:
    """Record that `by` checked the proof (with the issuing customs administration). The
    row is locked so two people verifying at once leave one consistent record; a status
    without a proof is refused (`ProofMissing`)."""
    with transaction.atomic():
        locked = PartnerStatus.objects.select_for_update().get(pk=item.pk)
        if not locked.has_proof():
            raise ProofMissing
        locked.verified_by = by
        locked.verified_at = timezone.now()
        locked.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return locked


def revoke_status(
    item: PartnerStatus, *, revoked_on: datetime.date, reason: str, by: User
) -> PartnerStatus:
    """Record that the status was revoked on `revoked_on`, and why. The status is kept (it
    was evidence while it held); the model's own rules decide whether the revocation holds,
    and a refusal (`RevocationInvalid`) writes nothing."""
    with transaction.atomic():
        locked = PartnerStatus.objects.select_for_update().get(pk=item.pk)
        locked.revoked_on = revoked_on
        locked.revoked_reason = reason
        try:
            locked.full_clean()
        except ValidationError as exc:
            raise RevocationInvalid(" ".join(exc.messages)) from exc
        locked.save(update_fields=["revoked_on", "revoked_reason", "updated_at"])
    return locked


def link_member(partner: BusinessPartner, member: Company, *, by: User) -> MemberLink:
    """Link the partner to the OpenCTPAT member it is (found through status verification,
    so only a consenting member); a partner has at most one link, which this replaces."""
    link, _created = MemberLink.objects.update_or_create(
        partner=partner, defaults={"member": member, "linked_by": by}
    )
    return link


def unlink_member(partner: BusinessPartner) -> None:
    """Remove the partner's link to a member (if any)."""
    MemberLink.objects.filter(partner=partner).delete()
