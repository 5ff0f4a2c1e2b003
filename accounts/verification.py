"""Marking an e-mail address as confirmed when something other than allauth's own
confirmation e-mail proved it (an invitation link reached that mailbox)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User


def mark_verified(user: User, email: str) -> None:
    """Record `email` as a confirmed address of `user` (primary when it is the account's
    own address), so steps that need a confirmed address (setting up two-factor
    authentication) are open at once."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=email,
            verified=True,
            primary=user.email.lower() == email.lower()
            and not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def blocks_mfa_setup(user: User) -> bool:
    """allauth's own rule (mfa.internal.flows.add): no authenticator app while the account
    has an unconfirmed address, unless MFA_ALLOW_UNVERIFIED_EMAIL."""
    from allauth.mfa import app_settings

    if app_settings.ALLOW_UNVERIFIED_EMAIL:
        return False
    return bool(EmailAddress.objects.filter(user_id=user.pk, verified=False).exists())


def sign_in_new_account(request: HttpRequest, user: User) -> None:
    """Open a session for an account that was just created with its password (an accepted
    invitation), recorded as allauth records a password sign-in, so the next step that
    asks for a recent sign-in (setting up an authenticator app) does not ask again."""
    from allauth.account.internal.flows.login import record_authentication
    from django.contrib.auth import login

    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The password was typed a moment ago: as fresh as a re-authentication.
    record_authentication(request, user, "password", email=user.email, reauthenticated=True)
