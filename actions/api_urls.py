"""Corrective action API routes, mounted under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from actions import api

router = SimpleRouter()
router.register("corrective-actions", api.CorrectiveActionViewSet, basename="correctiveaction")

urlpatterns = router.urls
