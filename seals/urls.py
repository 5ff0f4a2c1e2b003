from __future__ import annotations

from django.urls import path

from seals import views

app_name = "seals"

urlpatterns = [
    path("", views.seal_list, name="seal-list"),
    path("receive/", views.seal_receive, name="seal-receive"),
    path("audit/", views.seal_audit, name="seal-audit"),
    path("lookup/", views.seal_lookup, name="seal-lookup"),
    path("<int:pk>/", views.seal_detail, name="seal-detail"),
    path("<int:pk>/issue/", views.seal_issue, name="seal-issue"),
    path("<int:pk>/affix/", views.seal_affix, name="seal-affix"),
    path("<int:pk>/check/", views.seal_check, name="seal-check"),
    path("<int:pk>/void/", views.seal_void, name="seal-void"),
]
