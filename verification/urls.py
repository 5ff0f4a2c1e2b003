from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from verification import views

app_name = "verification"
urlpatterns: list[URLPattern | URLResolver] = [
    path("companies/<int:company_pk>/", views.company_detail, name="company-detail"),
    path("companies/<int:company_pk>/consent/", views.consent_sign, name="consent-sign"),
    path("companies/<int:company_pk>/settings/", views.consent_settings, name="consent-settings"),
    path("companies/<int:company_pk>/requests/", views.request_create, name="request-create"),
    path(
        "companies/<int:company_pk>/requests/<int:pk>/decide/",
        views.request_decide,
        name="request-decide",
    ),
    path(
        "companies/<int:company_pk>/certificate/",
        views.certificate_email,
        name="certificate-email",
    ),
    path("check/<str:token>/", views.certificate_verify, name="certificate-verify"),
]
