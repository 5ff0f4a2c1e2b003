"""Multi-factor authentication is mandatory for company officers and program-office staff.

Such a user who has not yet set up an authenticator app is sent to the set-up page on
every request until they do; everyone else may opt in. Once an authenticator exists the
session remembers it, so a user who has one costs no query per request.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

SESSION_FLAG = "ctpat_mfa_ready"
# Pages a user without an authenticator may still reach: signing in and out, setting a
# factor up (allauth lives under /accounts/), the language switch and static files.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/")
# Our own pages under /accounts/ are not part of that: an API token would let an officer
# use the API without ever setting up a second factor.
GATED_PREFIXES = ("/accounts/tokens/",)
API_PREFIX = "/api/"


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        path = request.path
        if (
            user.is_authenticated
            and not request.session.get(SESSION_FLAG)
            and (not path.startswith(ALLOWED_PREFIXES) or path.startswith(GATED_PREFIXES))
        ):
            has_totp = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
            if has_totp:
                request.session[SESSION_FLAG] = True
            elif user.requires_mfa():
                setup = reverse("mfa_activate_totp")
                if path.startswith(API_PREFIX):
                    # A browser session calling the API: no redirect a script could follow.
                    message = _("Set up two-factor authentication first: %(url)s") % {"url": setup}
                    return JsonResponse({"detail": message}, status=403)
                return HttpResponseRedirect(
                    f"{setup}?{urlencode({'required': '1', 'next': request.get_full_path()})}"
                )
        return self.get_response(request)
