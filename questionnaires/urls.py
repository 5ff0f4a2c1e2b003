from __future__ import annotations

from django.urls import path

from questionnaires import views

app_name = "questionnaires"

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire-list"),
    path(
        "partner/<int:partner_pk>/",
        views.partner_questionnaires,
        name="partner-questionnaires",
    ),
    path(
        "partner/<int:partner_pk>/send/",
        views.questionnaire_send,
        name="questionnaire-send",
    ),
    path("<int:pk>/", views.questionnaire_detail, name="questionnaire-detail"),
    path("<int:pk>/revoke/", views.questionnaire_revoke, name="questionnaire-revoke"),
    path("<int:pk>/new-link/", views.questionnaire_relink, name="questionnaire-relink"),
    path(
        "<int:pk>/files/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence-download",
    ),
]
