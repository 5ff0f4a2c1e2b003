from __future__ import annotations

from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("", views.company_list, name="company-list"),
    path("new/", views.company_create, name="company-create"),
    path("<int:pk>/", views.company_detail, name="company-detail"),
    path("<int:pk>/edit/", views.company_edit, name="company-edit"),
    path("<int:pk>/members/", views.member_list, name="member-list"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member-remove"),
    path("<int:pk>/members/<int:membership_pk>/role/", views.member_role, name="member-role"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    # The link e-mailed to an invited person: the secret is the whole credential.
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("<int:pk>/audit/", views.audit_log, name="audit-log"),
]
for _kind in views.PARTS:
    urlpatterns += [
        path(f"<int:pk>/{_kind}s/", views.part_list, {"kind": _kind}, name=f"{_kind}-list"),
        path(
            f"<int:pk>/{_kind}s/<int:obj_pk>/",
            views.part_edit,
            {"kind": _kind},
            name=f"{_kind}-edit",
        ),
        path(
            f"<int:pk>/{_kind}s/<int:obj_pk>/delete/",
            views.part_delete,
            {"kind": _kind},
            name=f"{_kind}-delete",
        ),
    ]
