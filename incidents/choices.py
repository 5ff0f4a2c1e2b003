"""Incident kinds, statuses and the parties to notify (MSC 7.23)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    SEAL_DISCREPANCY = "seal_discrepancy", _("Seal discrepancy")
    TAMPERING = "tampering", _("Tampering")
    UNAUTHORIZED_ACCESS = "unauthorized_access", _("Unauthorized access")
    CONTRABAND = "contraband", _("Contraband")
    HUMAN_SMUGGLING = "human_smuggling", _("Human smuggling")
    CYBER = "cyber", _("Cyber incident")
    CARGO_SHORTAGE = "cargo_shortage", _("Cargo shortage or overage")
    PEST = "pest", _("Pest contamination")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Under investigation")
    CLOSED = "closed", _("Closed")


class Party(models.TextChoices):
    SCSS = "scss", _("Supply Chain Security Specialist (SCSS)")
    PORT = "port", _("Closest port of entry")
    LAW = "law", _("Law enforcement")
    PARTNERS = "partners", _("Affected business partners")
