from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = _("Risk assessment")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from risk import models

        auditlog.register(models.RiskSettings, exclude_fields=["updated_at"])
        auditlog.register(models.Assessment, exclude_fields=["updated_at"])
        auditlog.register(models.SupplyChain, exclude_fields=["updated_at"])
        auditlog.register(models.Node, exclude_fields=["updated_at"])
        auditlog.register(models.VulnerabilityRating, exclude_fields=["updated_at"])

        # Figures shown beside the criteria of the security profile (profiles.linked).
        from profiles import linked
        from risk import evidence

        linked.register("risk", _("Risk assessment"), evidence.evidence_for, order=30)

        from risk import exporting

        exporting.register()
