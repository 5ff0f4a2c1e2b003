"""The member's certification pages, under /companies/<pk>/certification/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from certification import member_views as views

app_name = "certification_member"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.member_status, name="status"),
    path("profile-review/", views.member_profile_review, name="profile-review"),
    path("profile-review/<int:pk>/note/", views.member_review_note, name="review-note"),
    path("profile-review/send/", views.member_review_send, name="review-send"),
    path("reports/<int:pk>/respond/", views.member_report_respond, name="report-respond"),
    path("suspension/respond/", views.member_suspension_respond, name="suspension-respond"),
    path("documents/", views.member_document_upload, name="document-upload"),
    path("decisions/<int:pk>/appeal/", views.member_appeal_file, name="appeal-file"),
]
