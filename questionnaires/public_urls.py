"""Pages a business partner opens from a questionnaire link, without an account (mounted at /q/)."""

from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

app_name = "questionnaire-links"

urlpatterns: list[URLPattern] = []
