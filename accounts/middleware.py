"""Multi-factor authentication is mandatory for company officers and program-office staff,
and a second factor once set up is asked for in every session.

Two rules, checked on every request of a signed-in user:

1. A user who owns an authenticator app must have typed a code from it in *this* session
   (allauth's sign-in stage records it). A session without that record, however it was
   opened, is ended and the user is sent to allauth's sign-in page, the only sign-in path,
   which asks for the code and counts failed attempts towards the lockout.
2. A user who must use a second factor (officer, program office) and has none yet is sent
   to the set-up page on every page except signing in and out and setting the factor up.

A session that passed the second factor costs no query: the record lives in the session.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.mfa import has_totp, session_passed_mfa
from accounts.verification import blocks_mfa_setup

# Never checked: static files and the language switch carry no data of anyone's.
EXEMPT_PREFIXES = ("/static/", "/i18n/")
# Pages a user without an authenticator may still reach: signing in and out, setting a
# factor up (allauth lives under /accounts/).
ALLOWED_PREFIXES = ("/accounts/",)
# Our own pages under /accounts/ are not part of that: an API token would let an officer
# use the API without ever setting up a second factor.
GATED_PREFIXES = ("/accounts/tokens/",)
API_PREFIX = "/api/"


def _from_a_script(request: HttpRequest) -> bool:
    """A request a page's script made (fetch, HTMX), not a page the person opened. It gets
    a refusal, never a redirect: following one to the set-up page would make that page
    draw a new secret behind the back of the person reading the first one."""
    if request.path.startswith(API_PREFIX) or request.headers.get("HX-Request"):
        return True
    mode = request.headers.get("Sec-Fetch-Mode")
    return mode is not None and mode != "navigate"


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        path = request.path
        if (
            user.is_authenticated
            and not path.startswith(EXEMPT_PREFIXES)
            and not session_passed_mfa(request)
        ):
            if has_totp(user):
                return self._end_session(request)
            gated = not path.startswith(ALLOWED_PREFIXES) or path.startswith(GATED_PREFIXES)
            setting_up = path == reverse("mfa_activate_totp")
            needs_mfa = user.requires_mfa()
            # The pages it may still see (signing in, setting the factor up, its recovery
            # codes) show no header counts: those come from a page it may not open yet.
            request.mfa_pending = needs_mfa  # type: ignore[attr-defined]
            if (gated or setting_up) and needs_mfa:
                if blocks_mfa_setup(user):
                    # allauth will not set a factor up before the address is confirmed, and
                    # its set-up page would send the user away without saying how.
                    return self._send_to_confirm(request)
                if gated:
                    return self._send_to_setup(request)
        return self.get_response(request)

    def _end_session(self, request: HttpRequest) -> HttpResponse:
        """The user owns a second factor this session never proved: sign it out, so the
        only way back in is allauth's sign-in with the code (and its lockout)."""
        logout(request)
        message = _("Sign in again with your two-factor authentication code.")
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        login = reverse("account_login")
        return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")

    def _send_to_confirm(self, request: HttpRequest) -> HttpResponse:
        message = _(
            "Your role requires two-factor authentication, which needs a confirmed e-mail "
            "address. Press “Re-send verification” below, open the link in the e-mail, "
            "then set up the authenticator app."
        )
        if _from_a_script(request):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return HttpResponseRedirect(reverse("account_email"))

    def _send_to_setup(self, request: HttpRequest) -> HttpResponse:
        setup = reverse("mfa_activate_totp")
        if _from_a_script(request):
            # A browser session calling the API: no redirect a script could follow.
            message = _("Set up two-factor authentication first: %(url)s") % {"url": setup}
            return JsonResponse({"detail": message}, status=403)
        return HttpResponseRedirect(
            f"{setup}?{urlencode({'required': '1', 'next': request.get_full_path()})}"
        )
