"""URL map: pages per app, the versioned API under /api/v1/, accounts under /accounts/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import offline, views

api_v1: list[URLPattern | URLResolver] = [
    # First: the public status look-up is the busiest route, and Django tries the patterns
    # in order (every app's router would otherwise be walked before it).
    path("", include("verification.api_urls")),
    path("", include("companies.api_urls")),
    path("", include("eligibility.api_urls")),
    path("", include("applications.api_urls")),
    path("", include("catalogue.api_urls")),
    path("", include("profiles.api_urls")),
    path("", include("actions.api_urls")),
    path("", include("audits.api_urls")),
    path("", include("training.api_urls")),
    path("", include("personnel.api_urls")),
    path("", include("certification.api_urls")),
    path("", include("inspections.api_urls")),
    path("", include("seals.api_urls")),
    path("", include("incidents.api_urls")),
    path("", include("partners.api_urls")),
    path("", include("screening.api_urls")),
    path("", include("recognition.api_urls")),
    path("", include("questionnaires.api_urls")),
    path("", include("tradecompliance.api_urls")),
    path("", include("siteaudits.api_urls")),
    path("", include("sharing.api_urls")),
    path("", include("threats.api_urls")),
    path("", include("risk.api_urls")),
    path("", include("notices.api_urls")),
    path("", include("core.export_api_urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="portal/api_docs.html"
        ),
        name="docs",
    ),
]

handler404 = "portal.views.not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("companies/<int:company_pk>/search/", views.search, name="search"),
    # Answered by portal.observability.OperationsMiddleware before the Host check; the
    # routes name them for reverse() and the permission matrix.
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("offline/session", offline.session_state, name="offline-session"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("companies/", include("companies.urls")),
    path("companies/<int:company_pk>/eligibility/", include("eligibility.urls")),
    path("companies/<int:company_pk>/application/", include("applications.urls")),
    path("companies/<int:company_pk>/profile/", include("profiles.urls")),
    path("companies/<int:company_pk>/actions/", include("actions.urls")),
    path("companies/<int:company_pk>/audits/", include("audits.urls")),
    path("companies/<int:company_pk>/training/", include("training.urls")),
    path("companies/<int:company_pk>/personnel/", include("personnel.urls")),
    path("companies/<int:company_pk>/inspections/", include("inspections.urls")),
    path("companies/<int:company_pk>/seals/", include("seals.urls")),
    path("companies/<int:company_pk>/incidents/", include("incidents.urls")),
    path("companies/<int:company_pk>/partners/", include("partners.urls")),
    path("companies/<int:company_pk>/recognition/", include("recognition.urls")),
    path("companies/<int:company_pk>/questionnaires/", include("questionnaires.urls")),
    path("companies/<int:company_pk>/trade-compliance/", include("tradecompliance.urls")),
    path("companies/<int:company_pk>/site-audits/", include("siteaudits.urls")),
    path("companies/<int:company_pk>/sharing/", include("sharing.urls")),
    path("companies/<int:company_pk>/threats/", include("threats.urls")),
    path("companies/<int:company_pk>/risk/", include("risk.urls")),
    path("companies/<int:company_pk>/certification/", include("certification.member_urls")),
    path("companies/<int:company_pk>/exports/", include("core.export_urls")),
    path("companies/<int:company_pk>/binder/", include("portal.binder_urls")),
    path("program-office/trade-compliance/", include("tradecompliance.office_urls")),
    path("program-office/", include("certification.urls")),
    path("verification/", include("verification.urls")),
    path("q/", include("questionnaires.public_urls")),
    path("sa/", include("siteaudits.public_urls")),
    path("me/", include("notices.urls")),
    path("catalogue/", include("catalogue.urls")),
    path("screening/", include("screening.urls")),
    # Uploaded files, only through the permission check: nothing is ever served from
    # MEDIA_URL, not even with DEBUG (core/files.py).
    path("files/", include("core.urls")),
    path("admin/", admin.site.urls),
]
# The API first: Django tries the patterns in order, and the public status look-up (the
# busiest route, answered from the cache) would otherwise be matched against every page
# route above. No page route starts with "api/", so the order changes no answer.
urlpatterns.insert(0, path("api/v1/", include((api_v1, "api"))))
