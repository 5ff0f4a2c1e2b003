from __future__ import annotations

from django.urls import path

from notices import views

app_name = "notices"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("inbox/read-all/", views.read_all, name="read-all"),
    path("inbox/settings/", views.notice_settings, name="settings"),
    path("tasks/", views.task_list, name="task-list"),
    path("counts/", views.counts, name="counts"),
]
