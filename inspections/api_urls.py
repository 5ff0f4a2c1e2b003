"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from inspections.api import GateEntryViewSet, InspectionViewSet

router = SimpleRouter()
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("gate-entries", GateEntryViewSet, basename="gate-entry")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
