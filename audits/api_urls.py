"""Mock audit API routes, mounted under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from audits import api

router = SimpleRouter()
router.register("mock-audits", api.MockAuditViewSet, basename="mockaudit")
router.register("findings", api.FindingViewSet, basename="finding")

urlpatterns = router.urls
