"""The mandatory second factor: who must use one, and whether this session passed it.

allauth keeps a log of the authentication steps of the current session (password, second
factor, re-authentication) in the session itself. A session counts as having passed the
second factor only when that log holds an "mfa" step for the signed-in user: owning an
authenticator app is not enough, since a session can be opened without it (a test's
`force_login`, or any sign-in path other than allauth's). The pages (RequireMFAMiddleware),
the Django admin and API tokens all ask these functions, so the rule is the same everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from accounts.models import User


def has_totp(user: User | AbstractBaseUser) -> bool:
    """True when the user has registered an authenticator app."""
    exists: bool = Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.TOTP
    ).exists()
    return exists


def session_passed_mfa(request: HttpRequest) -> bool:
    """True when the signed-in user of this session typed a second-factor code in it.

    The record is the one allauth writes when its sign-in stage or its re-authentication
    page accepts a code, and the one `record_mfa_on_activation` writes when the user sets
    up an authenticator app in this session. The records are bound to the user id, so a
    record of another user never counts."""
    user: User | AnonymousUser = request.user
    if not user.is_authenticated:
        return False
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def mfa_refusal(user: User) -> str | None:
    """Why a user may not use the portal without a session second factor, or None.

    A user who must use a second factor (officers, program office) and has not set one up
    is refused. Used where there is no session to check, i.e. API tokens."""
    if user.requires_mfa() and not has_totp(user):
        from django.utils.translation import gettext as _

        return _(
            "Your role requires two-factor authentication. Set up an authenticator app "
            "on the portal before using the API."
        )
    return None


@receiver(post_save, sender=Authenticator, dispatch_uid="accounts.mfa.record_on_activation")
def record_mfa_on_activation(
    sender: type[Authenticator], instance: Authenticator, created: bool, **kwargs: Any
) -> None:
    """Setting up an authenticator app proves the second factor in the session that did it.

    allauth's activation form only saves the authenticator after a valid code from the app,
    but it does not log an "mfa" step, so without this the officer who just set up the app
    would be sent to sign in again. The request comes from allauth's request context (its
    middleware sets it); an authenticator created outside a request (a command, a test
    fixture) proves nothing about any session."""
    request = context.request
    if (
        not created
        or instance.type != Authenticator.Type.TOTP
        or request is None
        or getattr(request.user, "pk", None) != instance.user_id
    ):
        return
    record_authentication(
        request, request.user, "mfa", id=instance.pk, type=instance.type, activated=True
    )
