"""Shared pieces of the accounts tests: fast password hashing for `setUpTestData`, a
clean cache per test (the lockout and used-TOTP-code records live there) and the
six-digit code an authenticator app would show."""

from __future__ import annotations

import re
import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from accounts.models import User

FAST_HASHERS = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for `secret` now (or at time `at`).

    Read now, a code in the last seconds of its 30-second step may be stale by the time the
    test posts it (the portal accepts the current step only), so this waits for the next
    step instead, as a person would wait for the app's next code."""
    if at is None and (left := 30 - time.time() % 30) < 4:
        time.sleep(left + 0.1)
    counter = int(time.time() if at is None else at) // 30
    return str(format_hotp_value(hotp_value(secret, counter)))


def secret_of(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return str(decrypt(authenticator.data["secret"]))


def first_link(body: Any) -> str:
    """The first http(s) link in an e-mail body, as a path the test client can follow."""
    match = re.search(r"https?://[^/\s]+(/\S+)", str(body))
    assert match, body
    return match.group(1)


@FAST_HASHERS
class AccountsTestCase(TestCase):
    """Clears the cache around every test: the database cache is a table outside the
    test's world, and lockout counters must not leak from one test into the next."""

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def reauthenticate(self, password: str) -> Any:
        """Confirm the password again, as allauth asks before changing a second factor."""
        return self.client.post(reverse("account_reauthenticate"), {"password": password})

    def sign_in(self, email: str, password: str, **extra: Any) -> Any:
        return self.client.post(
            reverse("account_login"), {"login": email, "password": password}, **extra
        )
