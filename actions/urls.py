from __future__ import annotations

from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="action-list"),
    path("<int:pk>/", views.action_detail, name="action-detail"),
    path("<int:pk>/evidence/", views.action_evidence_upload, name="action-evidence-upload"),
    path(
        "evidence/<int:file_pk>/", views.action_evidence_download, name="action-evidence-download"
    ),
]
