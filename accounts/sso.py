"""Single sign-on through the organisation's OpenID Connect provider (allauth's
openid_connect provider, configured from OIDC_* settings).

The product's rules:

- The IdP's verified e-mail address signs in the portal account with that address, or
  creates one; it never creates a company membership. People join companies only
  through invitations, as with a password.
- The second factor stays: a user who owns an authenticator app is asked for its code
  after SSO, and an officer or program-office user without one is sent to set it up,
  unless the IdP's ID token asserts that it asked for a second factor itself (an `amr`
  value in OIDC_MFA_AMR, RFC 8176) and OIDC_TRUST_IDP_MFA is on. Such a sign-in is
  recorded in the session as a second factor of type "idp", so every later check (pages,
  admin) counts it.
"""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.signals import pre_social_login
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest

SESSION_KEY = "ctpat_sso_idp_mfa"


def idp_asserted_mfa(claims: dict[str, Any]) -> bool:
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(set(amr) & set(settings.OIDC_MFA_AMR))


@receiver(pre_social_login, dispatch_uid="accounts.sso.remember_idp_mfa")
def remember_idp_mfa(
    sender: Any, request: HttpRequest, sociallogin: SocialLogin, **kwargs: Any
) -> None:
    """Note, for the sign-in stage below, whether this sign-in's ID token asserts MFA."""
    data = sociallogin.account.extra_data or {}
    claims = data.get("id_token") or {}
    trusted = (
        settings.OIDC_TRUST_IDP_MFA
        and sociallogin.account.provider == settings.OIDC_PROVIDER_ID
        and idp_asserted_mfa(claims)
    )
    request.session[SESSION_KEY] = bool(trusted)


class IdPAwareAuthenticateStage(AuthenticateStage):  # type: ignore[misc]
    """allauth's second-factor stage, skipped (and recorded as passed) when the IdP of
    this very sign-in asserted MFA."""

    def _should_handle(self, request: HttpRequest) -> bool:
        if request.session.pop(SESSION_KEY, False) and self.login.user is not None:
            record_authentication(request, self.login.user, "mfa", type="idp")
            return False
        return bool(super()._should_handle(request))


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return bool(settings.OIDC_ALLOW_SIGNUP)
