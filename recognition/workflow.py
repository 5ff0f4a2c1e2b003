"""Business verbs of partners' program status that the pages and the API share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from core.refusals import Invalid
from core.uploads import CheckedFile, attach, store_file
from recognition.models import PROOF_KINDS, PartnerStatus, StatusProof

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


class ProofRequired(Invalid):
    """A status is recorded with its proof, never without (page and API alike)."""

    code = "proof_required"
    default_message = gettext_lazy(
        "Upload the proof document (the certificate or a letter) with the status."
    )


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
