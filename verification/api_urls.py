"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from verification import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("status/<str:account_number>/", api.status_lookup, name="status-lookup"),
]
