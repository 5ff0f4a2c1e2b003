"""API routes of background exports, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from core.export_api import ExportJobViewSet

router = SimpleRouter()
router.register("exports", ExportJobViewSet, basename="export")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
