"""The API field for protected uploads (kept apart from core.files, which every app's
ready() imports, so that start-up does not import DRF)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.files import absolute_url


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class ProtectedFileURLField(serializers.ReadOnlyField):
    """API field: the absolute URL that serves the file through the permission check, or
    null when there is no file. Never the storage path under `MEDIA_URL`."""

    def __init__(self, field: str, **kwargs: Any) -> None:
        self.file_field = field
        kwargs.setdefault("help_text", "Download address (same permission as the record).")
        super().__init__(source="*", **kwargs)

    def to_representation(self, value: Any) -> str | None:
        return absolute_url(value, self.file_field, self.context.get("request"))
