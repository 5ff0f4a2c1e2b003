"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from recognition import api

router = SimpleRouter()
router.register("partner-statuses", api.PartnerStatusViewSet, basename="partner-status")

urlpatterns = [
    path("arrangements/", api.arrangement_list, name="arrangement-list"),
    *router.urls,
]
