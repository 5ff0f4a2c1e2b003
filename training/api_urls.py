"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from training import api

router = SimpleRouter()
router.register("training-courses", api.CourseViewSet, basename="training-course")
router.register("training-sessions", api.SessionViewSet, basename="training-session")
router.register("training-records", api.RecordViewSet, basename="training-record")
router.register("training-matrix", api.MatrixViewSet, basename="training-matrix")

urlpatterns = router.urls
