from __future__ import annotations

from django.urls import URLPattern, path

from sharing import views

app_name = "sharing"

urlpatterns: list[URLPattern] = [
    path("", views.share_list, name="share-list"),
    path("requests/", views.share_create, name="share-create"),
    path("given/<int:pk>/", views.share_detail, name="share-detail"),
    path("given/<int:pk>/decide/", views.share_decide, name="share-decide"),
    path("given/<int:pk>/revoke/", views.share_revoke, name="share-revoke"),
    path("received/<int:pk>/", views.summary_detail, name="summary-detail"),
    path("received/<int:pk>/summary.pdf", views.summary_pdf, name="summary-pdf"),
]
