"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from partners import api

router = SimpleRouter()
router.register("partners", api.BusinessPartnerViewSet, basename="partner")
router.register("partner-screenings", api.PartnerScreeningViewSet, basename="partner-screening")

urlpatterns = router.urls
