from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from certification import models, notices, reminders

        for model in (
            models.Certification,
            models.VettingCheck,
            models.CriterionReview,
            models.ValidationReport,
            models.WorksheetEntry,
            models.Appeal,
            models.CaseDocument,
        ):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
        reminders.register()
        notices.connect()
        from core import files

        files.register(models.CaseDocument, "file")
