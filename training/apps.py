from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from training import models, reminders

        for model in (
            models.Course,
            models.TrainingSession,
            models.SessionMaterial,
            models.TrainingRecord,
            models.Retraining,
            models.CultureRecord,
            models.CultureEvidence,
        ):
            auditlog.register(model)

        files.register(models.TrainingSession, "sign_in_sheet")
        files.register(models.SessionMaterial, "file")
        files.register(models.TrainingRecord, "signature")
        files.register(models.CultureEvidence, "file")

        # Figures shown beside the criteria of the security profile (profiles.linked).
        from profiles import linked
        from training import evidence

        linked.register("training", _("Training and personnel"), evidence.evidence_for, order=10)
        reminders.register()

        from training import kept

        kept.connect()  # the kept training figures forget a company's on any change

        from training import exporting

        exporting.register()
