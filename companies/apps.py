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
            # The entry's own timestamp says when; the model's time stamps are noise.
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
        # The link secret's digest is no business of the audit trail.
        auditlog.register(
            models.Invitation, exclude_fields=["created_at", "updated_at", "token_hash"]
        )
