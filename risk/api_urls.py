"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from risk import api

router = SimpleRouter()
router.register("risk-assessments", api.AssessmentViewSet, basename="risk-assessment")
router.register("supply-chains", api.SupplyChainViewSet, basename="supply-chain")
router.register("supply-chain-nodes", api.NodeViewSet, basename="supply-chain-node")

urlpatterns = router.urls
