from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    INTERNAL = "internal", _("Internal audit")
    CONSULTANT = "consultant", _("Consultant audit")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")


class AuditStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class FindingResult(models.TextChoices):
    NOT_CHECKED = "", _("Not checked")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    OBSERVATION = "observation", _("Observation")
