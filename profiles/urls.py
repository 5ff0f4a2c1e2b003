from __future__ import annotations

from django.urls import path

from profiles import views

app_name = "profiles"

urlpatterns = [
    path("", views.profile_detail, name="profile-detail"),
    path("criteria/<int:criterion_pk>/", views.response_edit, name="response-edit"),
    path("answers/", views.response_grid, name="response-grid"),
    path("answers/bulk/", views.response_bulk, name="response-bulk"),
    path("answers/<int:criterion_pk>/", views.response_row, name="response-row"),
    path("criteria/<int:criterion_pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path(
        "evidence/<int:evidence_pk>/versions/",
        views.evidence_version_upload,
        name="evidence-version-upload",
    ),
    path("evidence/files/<int:file_pk>/", views.evidence_download, name="evidence-download"),
    path("gaps/", views.gap_report, name="gap-report"),
    path("versions/", views.profile_versions, name="profile-versions"),
    path("export/<slug:document>.<slug:fmt>", views.profile_export, name="profile-export"),
    path("submit/", views.submission_create, name="submission-create"),
    path("submissions/", views.submission_list, name="submission-list"),
    path("submissions/compare/", views.submission_diff, name="submission-diff"),
    path("submissions/<int:number>/", views.submission_detail, name="submission-detail"),
    path("annual-review/", views.annual_review, name="annual-review"),
]
