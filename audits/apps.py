from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Mock audits")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from audits import models
        from core import files

        auditlog.register(models.MockAudit, exclude_fields=["updated_at"])
        auditlog.register(models.Finding, exclude_fields=["updated_at"])
        auditlog.register(models.FindingPhoto)

        files.register(models.FindingPhoto, "file")
