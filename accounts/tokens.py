"""API tokens: issue, look up, record use, revoke.

A token reads `ctpat_<key_id>.<secret>`. Only the key id and the SHA-256 digest of the
secret are stored: the secret has 256 random bits, so its plain digest cannot be reversed
or guessed, and no pepper has to be kept beside SECRET_KEY. Digests are compared in
constant time. The page and the authentication class both go through these functions.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import APIToken, User

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "ctpat_"
# last_used is written at most once per this interval per token, so a busy script does
# not turn every API read into a database write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    user: User,
    *,
    name: str,
    read_only: bool = False,
    expires: datetime.datetime | None = None,
) -> tuple[APIToken, str]:
    """Create a token for `user` and return it with the full token string.

    The string is the only copy of the secret: it is shown to the user once and never
    stored."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = APIToken.objects.create(
        user=user,
        name=name,
        key_id=key_id,
        digest=_digest(secret),
        read_only=read_only,
        expires=expires,
    )
    return token, f"{TOKEN_PREFIX}{key_id}.{secret}"


def find_token(presented: str) -> APIToken | None:
    """The stored token that `presented` (a full token string) proves, or None.

    Expiry and the owner's state are not checked here: the caller says why it refuses."""
    if not presented.startswith(TOKEN_PREFIX) or "." not in presented:
        return None
    key_id, _, secret = presented[len(TOKEN_PREFIX) :].partition(".")
    if not key_id or not secret:
        return None
    token = APIToken.objects.select_related("user").filter(key_id=key_id).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    return token


def record_use(token: APIToken, now: datetime.datetime | None = None) -> None:
    """Set `last_used`, at most once per LAST_USED_RESOLUTION."""
    now = now or timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        APIToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


def revoke(token: APIToken, *, reason: str) -> None:
    """Delete one token; it stops working with the next request."""
    logger.info("API token %s of user %s revoked: %s", token.key_id, token.user_id, reason)
    token.delete()


def revoke_for_user(user: User, reason: str) -> int:
    """Delete every token of `user` and return how many there were.

    Called when the password changes or is reset (a stolen password must not leave a
    working token behind) and when the user leaves a company (a script a former member
    kept must stop, whatever other companies the person still belongs to)."""
    count, _ = APIToken.objects.filter(user_id=user.pk).delete()
    if count:
        logger.info("%d API token(s) of user %s revoked: %s", count, user.pk, reason)
    return count


@receiver(password_changed, dispatch_uid="accounts.tokens.password_changed")
@receiver(password_set, dispatch_uid="accounts.tokens.password_set")
@receiver(password_reset, dispatch_uid="accounts.tokens.password_reset")
def _revoke_on_password_change(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    revoke_for_user(user, "password changed or reset")
