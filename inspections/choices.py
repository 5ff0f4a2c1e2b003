"""Choices shared by the inspection records, the gate log and other apps' figures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Result(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NA = "na", _("Not applicable")


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outbound load")
    INBOUND = "inbound", _("Inbound arrival")
    YARD = "yard", _("Yard / storage")


class Cleaning(models.TextChoices):
    NONE = "", _("No cleaning needed")
    WASHED = "washed", _("Washed out")
    VACUUMED = "vacuumed", _("Vacuumed out")
    REJECTED = "rejected", _("Conveyance rejected")


class GateDirection(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")
