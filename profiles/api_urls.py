"""Security profile API routes, mounted under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from profiles import api

router = SimpleRouter()
router.register("profiles", api.SecurityProfileViewSet, basename="securityprofile")
router.register("responses", api.ResponseViewSet, basename="response")
router.register("evidence", api.EvidenceViewSet, basename="evidence")
router.register("evidence-files", api.EvidenceFileViewSet, basename="evidencefile")
router.register("submissions", api.SubmissionViewSet, basename="submission")

urlpatterns = router.urls
