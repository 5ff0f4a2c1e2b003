from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from certification import views

app_name = "certification"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.certification_list, name="certification-list"),
    path("deadlines/", views.deadline_list, name="deadline-list"),
    path("accounts/<int:pk>/", views.certification_detail, name="certification-detail"),
    path(
        "accounts/<int:pk>/transition/",
        views.certification_transition,
        name="certification-transition",
    ),
    path("accounts/<int:pk>/assign/", views.certification_assign, name="certification-assign"),
    path("accounts/<int:pk>/vetting/", views.vetting_record, name="vettingcheck-record"),
    path("accounts/<int:pk>/vetting/screen/", views.vetting_screen, name="vettingcheck-screen"),
    path("vetting/<int:pk>/override/", views.vetting_override, name="vettingcheck-override"),
    path("accounts/<int:pk>/criteria/", views.criterion_review, name="criterionreview-create"),
    path("accounts/<int:pk>/reports/", views.report_create, name="validationreport-create"),
    path("reports/<int:pk>/worksheet/", views.report_worksheet, name="validationreport-worksheet"),
    path(
        "reports/<int:pk>/worksheet/<int:criterion_pk>/",
        views.worksheet_entry,
        name="worksheetentry-save",
    ),
    path("reports/<int:pk>/decide/", views.report_decide, name="validationreport-decide"),
    path(
        "reports/<int:pk>/accept-response/",
        views.report_accept_response,
        name="validationreport-accept-response",
    ),
    path("accounts/<int:pk>/documents/", views.document_upload, name="casedocument-upload"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal-decide"),
]
