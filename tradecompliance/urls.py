"""Trade Compliance pages of a member, mounted at companies/<company_pk>/trade-compliance/."""

from __future__ import annotations

from django.urls import path

from tradecompliance import views

app_name = "tradecompliance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("questionnaire/", views.questionnaire, name="questionnaire"),
    path("evidence/", views.evidence_upload, name="evidence-upload"),
    path("sign/", views.sign, name="sign"),
    path("annual-notification/", views.anl, name="anl"),
]
