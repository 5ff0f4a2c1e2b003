"""Permission cases for the screening page and API (walked by core's permission matrix).

The watchlists are global reference data: every signed-in persona may screen a name,
including "other" (a member of another company); anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from django.urls import reverse

from portal.testing import ANY_USER, PermissionCase

C = PermissionCase

CASES = [
    C("screening:search", lambda t: reverse("screening:search"), ANY_USER),
    C(
        "screening:search",
        lambda t: reverse("screening:search") + "?name=Banco+Nacional+de+Cuba",
        ANY_USER,
    ),
    C(
        "api:screening-search",
        lambda t: reverse("api:screening-search") + "?name=Banco+Nacional+de+Cuba",
        ANY_USER,
        api=True,
    ),
]
