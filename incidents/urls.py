from __future__ import annotations

from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="incident-list"),
    path("new/", views.incident_create, name="incident-create"),
    path("<int:pk>/", views.incident_detail, name="incident-detail"),
    path("<int:pk>/attachment/", views.incident_attachment, name="incident-attachment"),
    path("<int:pk>/investigation/", views.incident_edit, name="incident-edit"),
    path("<int:pk>/actions/", views.incident_action_create, name="incident-action-create"),
    path(
        "<int:pk>/notifications/<int:notification_pk>/",
        views.notification_mark,
        name="notification-mark",
    ),
    path("report-link/rotate/", views.report_link_rotate, name="report-link-rotate"),
    # Public: no sign-in; the random token names the company.
    path("report/<str:token>/", views.anonymous_report, name="anonymous-report"),
]
