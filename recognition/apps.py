from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Partner program status and mutual recognition")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from recognition import dashboard, models
        from recognition.arrangements import load_arrangements

        auditlog.register(models.PartnerStatus, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.StatusProof, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.MemberLink, exclude_fields=["created_at", "updated_at"])
        files.register(models.StatusProof, "file")
        dashboard.register()  # the vetting path and expiries on the partners dashboard
        # A mistake in the arrangements file stops start-up with a message naming it,
        # instead of surfacing as an error in front of a user.
        load_arrangements()
