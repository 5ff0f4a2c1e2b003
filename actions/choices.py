"""Choices shared with the apps that raise corrective actions (audits, risk, partners,
incidents)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)
