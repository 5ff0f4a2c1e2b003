"""Site audit API routes, mounted under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from siteaudits import api

router = SimpleRouter()
router.register("site-audits", api.SiteAuditViewSet, basename="siteaudit")
router.register("site-audit-items", api.AuditItemViewSet, basename="siteaudititem")

urlpatterns = router.urls
