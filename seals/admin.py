"""Admin for the seal log: read and correct, never delete (seals are voided in the portal)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from seals.models import Seal, SealAudit, SealEvent


class NoDeleteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Seal)
class SealAdmin(NoDeleteAdmin):
    list_display = ["number", "company", "status", "iso_class", "manufacturer"]
    list_filter = ["status", "iso_class"]
    search_fields = ["number"]
    raw_id_fields = ["company"]


@admin.register(SealEvent)
class SealEventAdmin(NoDeleteAdmin):
    list_display = ["seal", "kind", "at", "by"]
    list_filter = ["kind"]
    raw_id_fields = ["seal", "by", "incident"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SealAudit)
class SealAuditAdmin(NoDeleteAdmin):
    list_display = ["company", "at", "expected", "counted"]
    raw_id_fields = ["company", "by"]
