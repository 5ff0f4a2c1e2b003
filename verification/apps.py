from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = _("Status verification")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from verification import models

        for model in (models.Consent, models.MonitoringRequest):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])

        # The cached public status card follows every change of what it shows: the
        # company's name and type, the consent, and the status, tier and certification
        # date, which change only in a lifecycle transition (it sends status_changed).
        from django.db.models.signals import post_delete, post_save

        from certification.models import Certification
        from certification.signals import status_changed
        from companies.models import Company
        from verification.workflow import status_changed as on_status_changed

        status_changed.connect(
            on_status_changed, sender=Certification, dispatch_uid="verification-status-changed"
        )

        def forget(sender: type, instance: Any, **kwargs: Any) -> None:
            from verification.workflow import forget_card

            forget_card(instance.pk if sender is Company else instance.company_id)

        for sender in (Company, models.Consent):
            uid = f"verification-forget-card-{sender.__name__}"
            post_save.connect(forget, sender=sender, dispatch_uid=uid, weak=False)
            post_delete.connect(forget, sender=sender, dispatch_uid=uid, weak=False)
