"""API token authentication with the same second-factor rule as the pages.

Accepted headers: `Authorization: Token ctpat_<key_id>.<secret>` and, the same token,
`Authorization: Bearer ctpat_<key_id>.<secret>`. On every request, before any view runs:

- an unknown, malformed or expired token answers 401;
- a token whose owner must use a second factor (officer, program office) but has none set
  up answers 403, however old the token is (a promotion after the token was made, or a
  company created with `my_role: officer`, takes effect with the next request);
- a read-only token answers 403 to anything but GET, HEAD and OPTIONS.

The token carries no role: the views scope every query with the owner's memberships as
they are at that moment.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from accounts.mfa import mfa_refusal
from accounts.models import APIToken, User
from accounts.tokens import find_token, record_use

KEYWORDS = (b"token", b"bearer")


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, APIToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # not ours: let session authentication try
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: expected 'Token <token>'.")
            )
        try:
            presented = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = find_token(presented)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.is_expired(now):
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        refusal = mfa_refusal(user)
        if refusal:
            raise exceptions.PermissionDenied(refusal)
        if token.read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(
                _("This token is read-only: it may only read (GET, HEAD, OPTIONS).")
            )
        record_use(token, now)
        return user, token

    def authenticate_header(self, request: Any) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return "Token"


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the OpenAPI schema describes `TokenAuthentication`."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token ctpat_<key_id>.<secret>` (or `Bearer ctpat_<key_id>.<secret>`)",
        }
