"""Signal receivers of the partner directory (connected in `PartnersConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from screening.models import ListVersion
from screening.signals import list_version_activated


@receiver(list_version_activated)
def rescreen_on_new_list_version(
    sender: Any, version: ListVersion, previous: ListVersion, **kwargs: Any
) -> None:
    """Queue the re-screening of all partners against the new version's changes. It is
    enqueued in the loading transaction: with the database queue the task exists exactly
    when the new version does."""
    from partners.tasks import rescreen_partners

    rescreen_partners.enqueue(version.pk, previous.pk)
