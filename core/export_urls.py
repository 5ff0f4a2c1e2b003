"""Background exports of one company (mounted at companies/<company_pk>/exports/)."""

from __future__ import annotations

from django.urls import path

from core import export_views

app_name = "exports"
urlpatterns = [
    path("<int:pk>/", export_views.job_page, name="job"),
    path("<int:pk>/status/", export_views.job_status, name="job-status"),
    path("<int:pk>/download/", export_views.job_download, name="job-download"),
]
