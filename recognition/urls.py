from __future__ import annotations

from django.urls import path

from recognition import views

app_name = "recognition"

urlpatterns = [
    path("arrangements/", views.arrangement_list, name="arrangement-list"),
    path("partners/<int:partner_pk>/statuses/new/", views.status_create, name="status-create"),
    path("partners/<int:partner_pk>/member/", views.member_link, name="member-link"),
    path("partners/<int:partner_pk>/member/unlink/", views.member_unlink, name="member-unlink"),
    path("statuses/<int:pk>/proofs/", views.proof_upload, name="proof-create"),
    path("statuses/<int:pk>/verify/", views.status_verify, name="status-verify"),
    path("statuses/<int:pk>/revoke/", views.status_revoke, name="status-revoke"),
    path("proofs/<int:pk>/", views.proof_download, name="proof-download"),
]
