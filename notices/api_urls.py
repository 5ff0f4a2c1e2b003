"""API routes of the inbox, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from notices.api import NoticeViewSet

router = SimpleRouter()
router.register("notices", NoticeViewSet, basename="notice")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
