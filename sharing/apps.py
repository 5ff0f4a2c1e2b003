from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Profile sharing")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sharing import models

        # Requests, decisions and revocations; views of the summary go to ShareView.
        auditlog.register(models.Share, exclude_fields=["created_at", "updated_at"])
