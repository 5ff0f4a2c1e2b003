"""Permission cases for the API token page (walked by core's permission matrix)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.tokens import issue_token
from portal.testing import ANY_USER, PermissionCase

C = PermissionCase


def _viewers_token(t: Any) -> None:
    t.token, _secret = issue_token(t.users["viewer"], name="nightly export")


CASES = [
    C("accounts:token-list", lambda t: reverse("accounts:token-list"), ANY_USER),
    C(
        "accounts:token-list",
        lambda t: reverse("accounts:token-list"),
        ANY_USER,
        method="post",
        data=lambda t: {"name": "matrix"},
    ),
    # Only the owner may revoke a token; to anyone else it does not exist.
    C(
        "accounts:token-revoke",
        lambda t: reverse("accounts:token-revoke", args=[t.token.pk]),
        frozenset({"viewer"}),
        method="post",
        setup=_viewers_token,
    ),
]
