from __future__ import annotations

from django.urls import path

from questionnaires import set_views, views

app_name = "questionnaires"

urlpatterns = [
    path("sets/", set_views.set_list, name="set-list"),
    path("sets/new/", set_views.set_create, name="set-create"),
    path("sets/copy/", set_views.set_copy, name="set-copy"),
    path("sets/import/", set_views.set_import, name="set-import"),
    path("sets/<int:pk>/", set_views.set_detail, name="set-detail"),
    path("sets/<int:pk>/details/", set_views.set_details, name="set-details"),
    path("sets/<int:pk>/publish/", set_views.set_publish, name="set-publish"),
    path("sets/<int:pk>/export.<str:fmt>", set_views.set_export, name="set-export"),
    path("sets/<int:pk>/questions/", set_views.question_edit, name="question-add"),
    path(
        "sets/<int:pk>/questions/<slug:question_id>/", set_views.question_edit, name="question-edit"
    ),
    path(
        "sets/<int:pk>/questions/<slug:question_id>/remove/",
        set_views.question_remove,
        name="question-remove",
    ),
    path(
        "sets/<int:pk>/questions/<slug:question_id>/move/",
        set_views.question_move,
        name="question-move",
    ),
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
    path("<int:pk>/reviewed/", views.questionnaire_reviewed, name="questionnaire-reviewed"),
    path("<int:pk>/new-link/", views.questionnaire_relink, name="questionnaire-relink"),
    path(
        "<int:pk>/files/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence-download",
    ),
]
