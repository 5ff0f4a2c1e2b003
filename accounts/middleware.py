"""Multi-factor authentication is mandatory for company officers and program-office staff.

Such a user who has not yet set up an authenticator app is sent to the set-up page on
every request until they do; everyone else may opt in. Once an authenticator exists the
session remembers it, so a user who has one costs no query per request.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_FLAG = "ctpat_mfa_ready"
# Pages a user without an authenticator may still reach: setting one up, signing out,
# the language switch and static files.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/", "/api/")


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(SESSION_FLAG)
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            has_totp = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
            if has_totp:
                request.session[SESSION_FLAG] = True
            elif user.requires_mfa():
                return HttpResponseRedirect(
                    reverse("mfa_activate_totp")
                    + "?"
                    + urlencode({"required": "1", "next": request.get_full_path()})
                )
        return self.get_response(request)
