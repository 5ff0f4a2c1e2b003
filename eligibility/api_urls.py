"""Eligibility API routes, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from eligibility import api

router = SimpleRouter()
router.register("eligibility-checks", api.EligibilityCheckViewSet, basename="eligibility-check")

urlpatterns: list[URLPattern | URLResolver] = [
    path("eligibility/questions/", api.question_list, name="eligibility-question-list"),
    path("identifiers/validate/", api.identifier_validate, name="identifier-validate"),
    *router.urls,
]
