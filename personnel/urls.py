from __future__ import annotations

from django.urls import path

from personnel import views

app_name = "personnel"
urlpatterns = [
    path("employees/", views.employee_list, name="employee-list"),
    path("employees/import/", views.employee_import, name="employee-import"),
    path("employees/lookup/", views.employee_lookup, name="employee-lookup"),
    path(
        "employees/import/template.<str:kind>",
        views.employee_import_template,
        name="employee-import-template",
    ),
    path("employees/<int:pk>/", views.employee_detail, name="employee-detail"),
    path("employees/<int:pk>/edit/", views.employee_edit, name="employee-edit"),
    path("employees/<int:pk>/deactivate/", views.employee_deactivate, name="employee-deactivate"),
    path("employees/<int:pk>/reactivate/", views.employee_reactivate, name="employee-reactivate"),
    path(
        "employees/<int:pk>/acknowledgements/",
        views.acknowledgement_create,
        name="acknowledgement-create",
    ),
    path("employees/<int:pk>/separation/", views.separation_edit, name="separation-edit"),
    path(
        "acknowledgements/<int:pk>/file/", views.acknowledgement_file, name="acknowledgement-file"
    ),
    path("roles/", views.role_list, name="role-list"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role-edit"),
    path("screenings/", views.screening_list, name="screening-list"),
    path("screenings/new/", views.screening_create, name="screening-create"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening-detail"),
    path("screenings/<int:pk>/edit/", views.screening_edit, name="screening-edit"),
    path("access-log/", views.access_log, name="access-log"),
]
