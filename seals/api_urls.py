"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from seals.api import SealViewSet

router = SimpleRouter()
router.register("seals", SealViewSet, basename="seal")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
