"""Second-factor re-checks before an officer signs or submits.

Used by every signing step (partner agreement, security profile submission, consents) in
pages and in the API, so the rule is the same everywhere."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

from allauth.account import app_settings as allauth_account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.base.internal.flows import check_rate_limit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

if TYPE_CHECKING:
    from accounts.models import User


def mfa_recently_confirmed(request: HttpRequest) -> bool:
    """True when the user re-entered a second-factor code on allauth's MFA re-authentication
    page within ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. The code typed at sign-in does not
    count: signing asks again, as a bank asks again before a transfer."""
    records = get_authentication_records(request, request.user)
    now = time.time()
    return any(
        record.get("method") == "mfa"
        and record.get("reauthenticated")
        and now - float(record.get("at", 0)) < allauth_account_settings.REAUTHENTICATION_TIMEOUT
        for record in records
    )


def ask_for_mfa(request: HttpRequest) -> HttpResponseRedirect:
    """Send the user to allauth's MFA re-authentication page and back here afterwards.

    A POST is kept by allauth and replayed once the code is accepted, so the officer does
    not have to fill the form in again."""
    reauthenticate = reverse("mfa_reauthenticate")
    if request.method == "POST":
        return cast(HttpResponseRedirect, suspend_request(request, reauthenticate))
    return HttpResponseRedirect(f"{reauthenticate}?{urlencode({'next': request.get_full_path()})}")


def totp_code_ok(user: User, code: str) -> bool:
    """Check a code from the user's authenticator app, for API clients that have no session
    to re-authenticate. Failed attempts count towards the same lockout as sign-in
    (ACCOUNT_RATE_LIMITS["login_failed"]); a used code cannot be replayed.

    Raises django.core.exceptions.ValidationError when too many attempts failed."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return False
    clear_failures = check_rate_limit(user)
    if not TOTP(authenticator).validate_code(code.strip()):
        return False
    clear_failures()
    authenticator.record_usage()
    return True
