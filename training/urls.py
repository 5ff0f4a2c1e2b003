from __future__ import annotations

from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programme/load/", views.programme_load, name="programme-load"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("matrix/export/", views.matrix_export, name="matrix-export"),
    path("courses/", views.course_list, name="course-list"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course-edit"),
    path("courses/<int:pk>/retrain/", views.course_retrain, name="course-retrain"),
    path("courses/<int:pk>/people/", views.course_people_lookup, name="course-people-lookup"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/attendees/", views.attendance_add, name="attendance-add"),
    path("sessions/<int:pk>/attendees/lookup/", views.attendee_lookup, name="attendee-lookup"),
    path("sessions/<int:pk>/attendees/import/", views.attendance_import, name="attendance-import"),
    path(
        "attendance/import/template.<str:kind>",
        views.attendance_import_template,
        name="attendance-import-template",
    ),
    path("sessions/<int:pk>/materials/", views.material_add, name="material-add"),
    path("sessions/<int:pk>/sheet/", views.session_sheet, name="session-sheet"),
    path("materials/<int:pk>/", views.material_file, name="material-file"),
    path("employees/<int:pk>/", views.employee_records, name="employee-records"),
    path("records/<int:pk>/edit/", views.record_edit, name="record-edit"),
    path("records/<int:pk>/sign/", views.record_sign, name="record-sign"),
    path("records/<int:pk>/signature/", views.record_signature, name="record-signature"),
    path("culture/", views.culture_list, name="culture-list"),
    path("culture/<int:pk>/", views.culture_detail, name="culture-detail"),
    path("culture/evidence/<int:pk>/", views.culture_evidence_file, name="culture-evidence-file"),
]
