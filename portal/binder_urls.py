"""The validation-readiness binder (mounted at companies/<company_pk>/binder/).

`portal` has no AppConfig: its exporter registers when the URLconf loads, and
`core.export_jobs` loads the URLconf in a worker that meets an unknown kind."""

from __future__ import annotations

from django.urls import path

from portal import binder

binder.register()

app_name = "binder"
urlpatterns = [
    path("", binder.binder_page, name="binder"),
]
