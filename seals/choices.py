"""Seal classes (ISO 17712), seal statuses and the kinds of seal-log entries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SealClass(models.TextChoices):
    H = "H", _("H – high security")
    S = "S", _("S – security")
    I = "I", _("I – indicative")  # noqa: E741


class SealStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    ISSUED = "issued", _("Issued")
    AFFIXED = "affixed", _("Affixed")
    VERIFIED = "verified", _("Verified at destination")
    DISCREPANCY = "discrepancy", _("Discrepancy")
    VOIDED = "voided", _("Voided")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ISSUED = "issued", _("Issued")
    AFFIXED = "affixed", _("Affixed")
    HANDOVER = "handover", _("Checked at hand-over")
    VERIFIED = "verified", _("Verified at destination")
    DISCREPANCY = "discrepancy", _("Discrepancy")
    VOIDED = "voided", _("Voided")


class HandlerTraining(models.TextChoices):
    """Whether the person who affixed a seal had current seal training (training matrix,
    course `seal_handling`) at that moment."""

    CURRENT = "current", _("Seal training current")
    LAPSED = "lapsed", _("Seal training overdue")
    MISSING = "missing", _("No seal training on record")
    UNKNOWN = "unknown", _("Not in the personnel list")
