from __future__ import annotations

from django.urls import path

from partners import dashboard, views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="partner-list"),
    path("dashboard/", dashboard.partner_dashboard, name="partner-dashboard"),
    path("new/", views.partner_create, name="partner-create"),
    path("lookup/", views.partner_lookup, name="partner-lookup"),
    path("export.csv", views.partner_export, name="partner-export"),
    path("<int:pk>/", views.partner_detail, name="partner-detail"),
    path("<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("<int:pk>/screening.pdf", views.partner_screening_pdf, name="partner-screening-pdf"),
    path("<int:pk>/screening.csv", views.partner_screening_csv, name="partner-screening-csv"),
    path(
        "screening-evidence.csv",
        views.screening_evidence_export,
        name="screening-evidence-export",
    ),
    path("import/", views.import_upload, name="import-create"),
    path("import/template.<str:kind>", views.import_template, name="import-template"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("import/<int:pk>/restart/", views.import_restart, name="import-restart"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert-detail"),
    path("alerts/<int:pk>/decide/", views.alert_decide, name="alert-decide"),
    path("<int:pk>/hold/lift/", views.hold_lift, name="hold-lift"),
    path("alerts/review-rule/", views.screening_policy, name="screening-policy"),
]
