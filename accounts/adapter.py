"""allauth adapters: officers and program-office staff may not switch MFA off, and allauth's
rate limits count per client address as the rest of the portal does."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from core.clientip import client_address


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address from `core.clientip` (TRUSTED_PROXY_COUNT), never allauth's
        own X-Forwarded-For reading, so a sign-in limit and an API limit count the same
        client. Refused as allauth's default is when no address can be trusted."""
        ip = client_address(request)
        if ip is None:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with its second-factor stage aware of an IdP's MFA (SSO)."""
        stages: list[str] = super().get_login_stages()
        return [
            "accounts.sso.IdPAwareAuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in stages
        ]


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def can_delete_authenticator(self, authenticator: Any) -> bool:
        return not authenticator.user.requires_mfa()
