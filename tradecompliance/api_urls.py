"""Trade Compliance API routes, mounted under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from tradecompliance import api

router = SimpleRouter()
router.register(
    "trade-compliance-applications", api.ApplicationViewSet, basename="trade-compliance-application"
)
router.register("forced-labor-evidence", api.EvidenceViewSet, basename="forced-labor-evidence")
router.register("trade-compliance-letters", api.LetterViewSet, basename="trade-compliance-letter")

urlpatterns = router.urls
