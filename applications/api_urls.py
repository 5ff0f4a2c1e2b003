"""Application API routes, mounted under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from applications import api

router = SimpleRouter()
router.register("applications", api.ApplicationViewSet, basename="application")

urlpatterns = router.urls
