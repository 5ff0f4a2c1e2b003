from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from companies import models

        for model in (
            models.Company,
            models.Membership,
            models.Address,
            models.Contact,
            models.Identifier,
            models.ProgramParticipation,
        ):
            auditlog.register(model)
