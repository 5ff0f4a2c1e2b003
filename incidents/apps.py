from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from incidents import models

        auditlog.register(models.Incident, exclude_fields=["updated_at"])
        auditlog.register(models.Notification, exclude_fields=["updated_at"])

        # Attachments, anonymous reports' included, are read by the company's members.
        files.register(models.Incident, "attachment")
        # Who rotated the link and when is logged; the token itself never is.
        auditlog.register(models.ReportLink, exclude_fields=["updated_at", "token"])
