from __future__ import annotations

from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [path("", views.search, name="search")]
