"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from certification import api

router = SimpleRouter()
router.register("certifications", api.CertificationViewSet, basename="certification")
router.register("validation-reports", api.ValidationReportViewSet, basename="validationreport")
router.register("criterion-reviews", api.CriterionReviewViewSet, basename="criterionreview")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
