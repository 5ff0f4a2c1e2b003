"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from personnel import api

router = SimpleRouter()
router.register("employees", api.EmployeeViewSet, basename="employee")
router.register("personnel-screenings", api.ScreeningViewSet, basename="personnel-screening")

urlpatterns = router.urls
