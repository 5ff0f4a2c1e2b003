from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = _("Status verification")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from verification import models

        for model in (models.Consent, models.MonitoringRequest):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
