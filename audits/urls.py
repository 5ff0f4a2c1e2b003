from __future__ import annotations

from django.urls import path

from audits import views

app_name = "audits"

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("<int:pk>/", views.audit_detail, name="audit-detail"),
    path("<int:pk>/complete/", views.audit_complete, name="audit-complete"),
    path("<int:pk>/criteria/<int:criterion_pk>/", views.finding_edit, name="finding-edit"),
    path("<int:pk>/criteria/<int:criterion_pk>/photos/", views.photo_upload, name="photo-upload"),
    path("photos/<int:photo_pk>/", views.photo_download, name="photo-download"),
]
