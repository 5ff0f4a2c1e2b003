from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteAuditsConfig(AppConfig):
    name = "siteaudits"
    verbose_name = _("Supplier site audits")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from profiles import linked
        from siteaudits import evidence, models, reminders

        auditlog.register(models.SiteAudit, exclude_fields=["updated_at", "token_hash"])
        auditlog.register(models.AuditItem, exclude_fields=["updated_at"])
        auditlog.register(models.ItemPhoto)
        auditlog.register(models.OwnChecklist, exclude_fields=["updated_at"])
        auditlog.register(models.PartnerReply)

        files.register(models.ItemPhoto, "file")
        linked.register("siteaudits", _("Supplier site audits"), evidence.evidence_for, order=35)
        reminders.register()
