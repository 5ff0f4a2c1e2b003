from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from applications import models

        # The snapshot is a frozen copy of records that are audited themselves.
        auditlog.register(models.Application, exclude_fields=["snapshot"])
        auditlog.register(models.AgreementSignature)
        auditlog.register(models.ApplicationEvent)
