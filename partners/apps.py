from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Business partners")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core.tasks import register_recoverer
        from partners import exporting, models, reminders, signals  # noqa: F401  (signals connects receivers)

        register_recoverer("partners.workflow.recover_stopped_screenings")
        exporting.register()
        reminders.register()  # open screening alerts in the task list

        auditlog.register(
            models.BusinessPartner, exclude_fields=["created_at", "updated_at", "normalised_name"]
        )
        # Reviewer decisions on alerts and remembered false positives are audit evidence.
        auditlog.register(models.PartnerScreening, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.FalsePositive, exclude_fields=["created_at", "updated_at"])
