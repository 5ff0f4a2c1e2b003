from __future__ import annotations

from django.urls import path

from siteaudits import views

app_name = "siteaudits"

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("checklists/", views.checklist_list, name="checklist-list"),
    path("<int:pk>/", views.audit_detail, name="audit-detail"),
    path("<int:pk>/items/<int:item_pk>/", views.item_edit, name="item-edit"),
    path("<int:pk>/complete/", views.audit_complete, name="audit-complete"),
    path("<int:pk>/link/", views.audit_link, name="audit-link"),
    path("<int:pk>/report.pdf", views.audit_report, name="audit-report"),
    path("photos/<int:photo_pk>/", views.photo_download, name="photo-download"),
]
