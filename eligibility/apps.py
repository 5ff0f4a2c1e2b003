from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = _("Eligibility")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from eligibility import models
        from eligibility.questions import load_questions

        auditlog.register(models.EligibilityCheck)
        # A mistake in the question file stops start-up with a message naming it,
        # instead of surfacing as an error in front of a user.
        load_questions()
