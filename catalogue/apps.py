from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Criteria catalogue")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from catalogue.models import Catalogue

        # Criteria are written in bulk with their catalogue and never change afterwards,
        # so the catalogue row (who imported which file, when) is the record to keep.
        auditlog.register(Catalogue)
