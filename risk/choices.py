"""Choices of the risk assessment, shared with the pages, the API and the PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# High / Medium / Low, the qualitative scale CBP's five-step guide uses for both threat and
# vulnerability (domain.md §3.3): the threat ratings' choice set, so the pages and the API
# speak of one scale. Higher number, worse: the level of a set is its highest.
from threats.models import LEVEL_ORDER as LEVEL_ORDER
from threats.models import Level as Level

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def highest(levels: list[str]) -> str | None:
    """The worst of the given levels; None when none is given (never invented)."""
    rated = [level for level in levels if level in LEVEL_ORDER]
    return max(rated, key=LEVEL_ORDER.__getitem__) if rated else None


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


class NodeKind(models.TextChoices):
    """Where a node sits in the cargo flow (CBP guide, Attachment A)."""

    ORIGIN = "origin", _("Origin facility")
    CONSOLIDATION = "consolidation", _("Consolidation point")
    PORT = "port", _("Seaport")
    AIRPORT = "airport", _("Airport")
    BORDER = "border", _("Land-border crossing")
    TRANSIT = "transit", _("Transit / transshipment")
    DESTINATION = "destination", _("Destination distribution centre")


class TransportMode(models.TextChoices):
    """How cargo leaves this node."""

    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    MULTIMODAL = "multimodal", _("Multimodal")
    NONE = "none", _("None (end of the flow)")


# MSC categories (domain.md §2.2); vulnerability is rated per category.
MSC_CATEGORIES: dict[int, StrOrPromise] = {
    1: _("Security Vision & Responsibility"),
    2: _("Risk Assessment"),
    3: _("Business Partners"),
    4: _("Cybersecurity"),
    5: _("Conveyance and Instruments of International Traffic Security"),
    6: _("Seal Security"),
    7: _("Procedural Security"),
    8: _("Agricultural Security"),
    9: _("Physical Security"),
    10: _("Physical Access Controls"),
    11: _("Personnel Security"),
    12: _("Education, Training and Awareness"),
}
CATEGORY_CHOICES = [
    (number, format_lazy("{}. {}", number, name)) for number, name in MSC_CATEGORIES.items()
]
