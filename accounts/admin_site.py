"""The Django admin behind the portal's own sign-in.

The admin has no sign-in form of its own: its login page sends visitors to allauth's, the
only sign-in path (second factor, lockout). It opens only for staff whose session passed
the second factor; staff without an authenticator app are sent to set one up first.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts.mfa import session_passed_mfa


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        """Staff, and only in a session that typed a second-factor code."""
        return super().has_permission(request) and session_passed_mfa(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """No password form here: allauth's sign-in (with its second factor and lockout)
        is the one door, and it brings the user back to the admin page they asked for."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if not (request.user.is_active and request.user.is_staff):
                # Signed in but not staff: sending them to sign in again would loop back.
                raise PermissionDenied
            if not session_passed_mfa(request):
                # Staff without an authenticator app: set one up, then come back.
                setup = reverse("mfa_activate_totp")
                return HttpResponseRedirect(
                    f"{setup}?{urlencode({'required': '1', 'next': next_url})}"
                )
            return HttpResponseRedirect(next_url)
        login = reverse("account_login")
        response: HttpResponse = HttpResponseRedirect(f"{login}?{urlencode({'next': next_url})}")
        return response

    def password_change(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        """allauth's page, the one that also revokes the user's API tokens."""
        return HttpResponseRedirect(reverse("account_change_password"))
