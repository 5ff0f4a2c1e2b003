from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from inspections import models

        auditlog.register(models.ChecklistTemplate, exclude_fields=["updated_at"])
        auditlog.register(models.Inspection, exclude_fields=["updated_at"])
        auditlog.register(models.GateEntry, exclude_fields=["updated_at"])

        files.register(models.InspectionResult, "photo")
        files.register(models.Inspection, "inspector_signature")
        files.register(models.Inspection, "supervisor_signature")

        # Figures shown beside the criteria of the security profile (profiles.linked).
        from inspections import evidence
        from profiles import linked

        linked.register("inspections", _("Field operations"), evidence.evidence_for, order=20)

        from inspections import kpis

        kpis.connect()  # the kept operations figures forget a company's on any change
