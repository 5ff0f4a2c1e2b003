"""Pages a business partner opens from a questionnaire link, without an account (mounted at /q/)."""

from __future__ import annotations

from django.urls import path

from questionnaires import public_views

app_name = "questionnaire-links"

urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
    path("<str:token>/files/<int:evidence_pk>/", public_views.evidence, name="evidence"),
]
