"""Permission cases of the portal's own pages: the global search of one company."""

from __future__ import annotations

from django.urls import reverse

from portal.testing import VIEWERS, PermissionCase

CASES = [
    PermissionCase(
        "search",
        lambda t: reverse("search", args=[t.company.pk]) + "?q=lock",
        VIEWERS,
    ),
]
