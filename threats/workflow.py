"""Changes to threat ratings that the page and the API share: saving a rating (new or
edited) and confirming a checked ratings file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.refusals import Invalid, NotAllowed
from threats import importing
from threats.models import ThreatImport, ThreatRating


def save_rating(rating: ThreatRating, by: User) -> ThreatRating:
    """Save a new or edited rating (validated by its form or serializer); whoever saves it
    becomes its rater. The page and the API both save ratings here."""
    with transaction.atomic():
        rating.rated_by = by
        rating.save()
    return rating


def confirm_import(batch: ThreatImport, by: User) -> ThreatImport:
    """Write the checked rows of `batch` and mark it done, all or nothing.

    The batch row is locked, so a second click waits and is then refused as already
    imported. Refuses (nothing written) when the rows no longer pass the model's checks or
    someone added one of these ratings after the file was checked."""
    try:
        with transaction.atomic():
            batch = ThreatImport.objects.select_for_update().get(pk=batch.pk)
            if batch.status != ThreatImport.Status.PREVIEW:
                raise NotAllowed(_("This file was already imported."), code="already_imported")
            added, replaced = importing.write_rows(batch.company, batch.rows, by)
            batch.status = ThreatImport.Status.DONE
            batch.created_count, batch.updated_count = added, replaced
            batch.save(update_fields=["status", "created_count", "updated_count", "updated_at"])
    except ValidationError as exc:
        raise Invalid(
            _("Nothing was imported: %(problem)s Upload the file again.")
            % {"problem": " ".join(exc.messages)}
        ) from exc
    except IntegrityError as exc:
        raise NotAllowed(
            _("Nothing was imported: ratings changed since the file was checked. Upload it again.")
        ) from exc
    return batch
