"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
