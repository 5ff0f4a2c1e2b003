"""The page a business partner opens from a site audit's link, without an account (/sa/)."""

from __future__ import annotations

from django.urls import path

from siteaudits import public_views

app_name = "siteaudit-links"

urlpatterns = [path("<str:token>/", public_views.reply, name="reply")]
