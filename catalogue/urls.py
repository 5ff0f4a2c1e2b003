from __future__ import annotations

from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.criterion_list, name="criterion-list"),
    path("criteria/<int:pk>/", views.criterion_detail, name="criterion-detail"),
    path("versions/", views.catalogue_list, name="catalogue-list"),
    path("import/", views.catalogue_import, name="catalogue-import"),
    path("import/template.<str:kind>", views.catalogue_import_template, name="catalogue-template"),
]
