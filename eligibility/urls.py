from __future__ import annotations

from django.urls import path

from eligibility import views

app_name = "eligibility"

urlpatterns = [
    path("", views.check, name="check"),
    path("questions/", views.check_answers, name="check-answers"),
    path("<int:pk>/", views.check_detail, name="check-detail"),
]
