"""Application pages, mounted at companies/<company_pk>/application/ by portal/urls.py."""

from __future__ import annotations

from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.application_detail, name="application-detail"),
    path("sign/", views.application_sign, name="application-sign"),
]
