"""Changes to corrective actions that the page and the API share: saving an action (new or
edited) and attaching a piece of evidence to one."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from actions.models import ActionEvidence, CorrectiveAction
from core.uploads import attach, store_file


def save_action(action: CorrectiveAction, by: User | None = None) -> CorrectiveAction:
    """Save a new or edited corrective action (validated by its form or serializer); the
    page and the API both save actions here. A new action records who raised it."""
    with transaction.atomic():
        if action.pk is None and by is not None and action.created_by_id is None:
            action.created_by = by
        action.save()
    return action


def add_evidence(action: CorrectiveAction, upload: UploadedFile[bytes], by: User) -> ActionEvidence:
    """Check and store `upload` as evidence of `action`; the file is removed again if the
    row cannot be written (see `core.uploads.store_file`)."""

    def write(stored: str, checked: Any) -> ActionEvidence:
        item = ActionEvidence(action=action)
        attach(item, stored, checked, uploaded_by=by)
        item.save()
        return item

    return store_file(upload, f"actions/{action.company_id}", write)
