"""The Django admin's app config, kept apart from `accounts.apps` (Django picks an app's
config from the classes of its `apps` module) and free of model imports (it is loaded
while INSTALLED_APPS is read)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Installs `accounts.admin_site.PortalAdminSite` as `django.contrib.admin.site`: the
    admin opens only behind allauth's sign-in and the second factor."""

    default_site = "accounts.admin_site.PortalAdminSite"
