from __future__ import annotations

from django.contrib import admin

from screening.models import ListVersion


@admin.register(ListVersion)
class ListVersionAdmin(admin.ModelAdmin[ListVersion]):
    list_display = ["source", "list_date", "active", "loaded_at", "sha256"]
    list_filter = ["source", "active"]
    readonly_fields = ["sha256", "file_hashes", "files", "counts", "diff", "loaded_at"]
