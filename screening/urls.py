from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from screening import views

app_name = "screening"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
]
