from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "personnel"
    verbose_name = _("Personnel security")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from personnel import models, sensitive

        for model in (
            models.SecurityRole,
            models.Employee,
            models.ConductAcknowledgement,
            models.Separation,
        ):
            auditlog.register(model)
        # Screening changes are audited, but the sensitive texts are masked in the audit
        # trail: the access log, not the change log, is where their readers are shown.
        auditlog.register(models.Screening, mask_fields=list(models.Screening.SENSITIVE_FIELDS))
        # A signed copy is a personal document: sensitive like the screening details
        # (managers only, every download logged).
        files.register(
            models.ConductAcknowledgement,
            "evidence",
            action=sensitive.SENSITIVE_ACTION,
            on_access=sensitive.log_file_access,
        )
