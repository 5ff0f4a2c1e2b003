"""The program office's Trade Compliance pages, mounted at program-office/trade-compliance/."""

from __future__ import annotations

from django.urls import path

from tradecompliance import views

app_name = "tradecompliance_office"

urlpatterns = [
    path("", views.office_list, name="application-list"),
    path("<int:pk>/", views.office_detail, name="application-detail"),
    path("<int:pk>/review/", views.office_review, name="application-review"),
    path("<int:pk>/approve/", views.office_approve, name="application-approve"),
    path("<int:pk>/refuse/", views.office_refuse, name="application-refuse"),
]
