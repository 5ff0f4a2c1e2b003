from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = _("Partner security questionnaires")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core import files
        from questionnaires import dashboard, models, reminders
        from questionnaires.question_sets import bank

        bank()  # read and check the question data now: a mistake stops start-up

        auditlog.register(
            models.Questionnaire, exclude_fields=["created_at", "updated_at", "token_hash"]
        )
        auditlog.register(models.Answer, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.AnswerEvidence, exclude_fields=["created_at", "updated_at"])
        files.register(models.AnswerEvidence, "file")
        dashboard.register()  # the questionnaire tile of the partners dashboard
        reminders.register()  # questionnaires out past their date or waiting for review
