from __future__ import annotations

from django.urls import path

from risk import views

app_name = "risk"

urlpatterns = [
    path("", views.assessment_list, name="assessment-list"),
    path("start/", views.assessment_start, name="assessment-start"),
    path("settings/", views.settings_edit, name="settings-edit"),
    path("<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("<int:pk>/complete/", views.assessment_complete, name="assessment-complete"),
    path("<int:pk>/compare/", views.assessment_compare, name="assessment-compare"),
    path("<int:pk>/assessment.pdf", views.assessment_pdf, name="assessment-pdf"),
    path("<int:pk>/chains/new/", views.chain_create, name="chain-create"),
    path("<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("chains/<int:pk>/", views.chain_detail, name="chain-detail"),
    path("chains/<int:pk>/edit/", views.chain_edit, name="chain-edit"),
    path("chains/<int:pk>/delete/", views.chain_delete, name="chain-delete"),
    path("chains/<int:pk>/nodes/new/", views.node_create, name="node-create"),
    path("chains/<int:pk>/nodes/<int:node_pk>/", views.node_edit, name="node-edit"),
    path("chains/<int:pk>/nodes/<int:node_pk>/delete/", views.node_delete, name="node-delete"),
    path(
        "chains/<int:pk>/vulnerabilities/<int:category>/",
        views.vulnerability_rate,
        name="vulnerability-rate",
    ),
]
