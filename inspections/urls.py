from __future__ import annotations

from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("new/<slug:checklist>/", views.inspection_create, name="inspection-create"),
    path("lookup/", views.inspection_lookup, name="inspection-lookup"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/sign-off/", views.inspection_signoff, name="inspection-signoff"),
    path("<int:pk>/sheet.pdf", views.inspection_pdf, name="inspection-pdf"),
    path("<int:pk>/email/", views.inspection_email, name="inspection-email"),
    path("checklists/", views.checklist_list, name="checklist-list"),
    path("gate/", views.gate_list, name="gate-list"),
    path("operations/", views.operations_kpis, name="operations-kpis"),
]
