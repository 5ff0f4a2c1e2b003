"""API routes of this app, mounted under /api/v1/ by portal/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from screening import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("screening/search", api.ScreeningSearchView.as_view(), name="screening-search"),
]
