"""The one route that serves uploaded files, through the permission check (`core.files`)."""

from __future__ import annotations

from django.urls import path

from core import files

app_name = "core"
urlpatterns = [
    path("<str:label>/<int:pk>/<str:field>/", files.download, name="file"),
]
