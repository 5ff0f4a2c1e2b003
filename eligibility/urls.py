from __future__ import annotations

from django.urls import path

from eligibility import views

app_name = "eligibility"

urlpatterns = [path("", views.check, name="check")]
