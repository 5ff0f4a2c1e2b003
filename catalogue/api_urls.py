"""Catalogue API routes, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from catalogue import api

router = SimpleRouter()
router.register("catalogues", api.CatalogueViewSet, basename="catalogue")
router.register("criteria", api.CriterionViewSet, basename="criterion")

urlpatterns = router.urls
