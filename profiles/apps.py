from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("Security profiles")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from profiles import models, reminders

        auditlog.register(models.SecurityProfile, exclude_fields=["updated_at"])
        auditlog.register(models.Response, exclude_fields=["updated_at", "version"])
        auditlog.register(models.Evidence)
        auditlog.register(models.EvidenceFile)
        auditlog.register(models.Submission, exclude_fields=["snapshot"])
        auditlog.register(models.AnnualReview)

        files.register(models.EvidenceFile, "file")
        reminders.register()

        from profiles import exporting

        exporting.register()
