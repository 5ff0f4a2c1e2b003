"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from sharing import api

router = SimpleRouter()
router.register("shares", api.ShareViewSet, basename="share")

urlpatterns = router.urls
