from __future__ import annotations

from django.urls import path

from threats import views

app_name = "threats"

urlpatterns = [
    path("", views.rating_grid, name="rating-grid"),
    path("new/", views.rating_create, name="rating-create"),
    path("<int:pk>/edit/", views.rating_edit, name="rating-edit"),
    path("<int:pk>/delete/", views.rating_delete, name="rating-delete"),
    path("countries/<str:country>/", views.country_detail, name="country-detail"),
    path("template.csv", views.template_csv, name="template-csv"),
    path("import/", views.import_create, name="import-create"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
]
