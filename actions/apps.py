from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Corrective actions")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from actions import models, reminders
        from core import files

        auditlog.register(models.CorrectiveAction, exclude_fields=["updated_at"])
        auditlog.register(models.ActionEvidence)

        files.register(models.ActionEvidence, "file")
        reminders.register()
