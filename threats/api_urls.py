"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from threats import api

router = SimpleRouter()
router.register("threat-ratings", api.ThreatRatingViewSet, basename="threat-rating")

urlpatterns = router.urls
