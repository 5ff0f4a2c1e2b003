from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealsConfig(AppConfig):
    name = "seals"
    verbose_name = _("Seals")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from seals import models

        auditlog.register(models.Seal, exclude_fields=["updated_at"])
        auditlog.register(models.SealAudit)
