"""Choices of supplier site audits, shared by the pages, the API and the PDF report."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("On site")
    COMPLETED = "completed", _("Completed")


class ChecklistSource(models.TextChoices):
    MSC = "msc", _("Minimum Security Criteria for the partner's business type")
    OWN = "own", _("Our own checklist")


class ItemResult(models.TextChoices):
    MET = "met", pgettext_lazy("site audit item", "Met")
    NOT_MET = "not_met", pgettext_lazy("site audit item", "Not met")
    NOT_APPLICABLE = "na", pgettext_lazy("site audit item", "Not applicable")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class ReportLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
