from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeComplianceConfig(AppConfig):
    name = "tradecompliance"
    verbose_name = _("CTPAT Trade Compliance")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from tradecompliance import models, reminders
        from tradecompliance.catalogue import program

        auditlog.register(models.TradeComplianceApplication, exclude_fields=["updated_at"])
        auditlog.register(models.ForcedLaborEvidence, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.AnnualNotification, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.GrantedBenefit, exclude_fields=["created_at", "updated_at"])
        files.register(models.ForcedLaborEvidence, "file")
        reminders.register()  # the Annual Notification Letter in the task list
        # A mistake in the program file stops start-up with a message naming it.
        program()
