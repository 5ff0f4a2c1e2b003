"""Business verbs of partners' program status that the pages and the API share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.uploads import CheckedFile, attach, store_file
from recognition.models import PROOF_KINDS, PartnerStatus, StatusProof

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


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
