from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThreatsConfig(AppConfig):
    name = "threats"
    verbose_name = _("Threat ratings")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from threats import models

        # Earlier levels, sources and dates of a rating are the history of the member's
        # threat assessment (MSC 2.3 yearly review).
        auditlog.register(models.ThreatRating, exclude_fields=["created_at", "updated_at"])
