"""Permission cases for the catalogue pages and API (walked by core's permission matrix).

The catalogue is global reference data: every signed-in persona reads it, including
"other" (a member of another company). Only deployment admins (is_staff) import; none of
the personas is staff, so the import page answers 404 to all of them (the staff case is
tested in test_views.py).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from catalogue.tests.factories import make_catalogue
from portal.testing import ANY_USER, PermissionCase

C = PermissionCase
NOBODY: frozenset[str] = frozenset()


def _catalogue(t: Any) -> None:
    t.catalogue = make_catalogue()


def _criterion_pk(t: Any) -> int:
    return int(t.catalogue.criteria.get(ref_id="3.1").pk)


CASES = [
    C(
        "catalogue:criterion-list",
        lambda t: reverse("catalogue:criterion-list"),
        ANY_USER,
        setup=_catalogue,
    ),
    C(
        "catalogue:criterion-detail",
        lambda t: reverse("catalogue:criterion-detail", args=[_criterion_pk(t)]),
        ANY_USER,
        setup=_catalogue,
    ),
    C("catalogue:catalogue-list", lambda t: reverse("catalogue:catalogue-list"), ANY_USER),
    C("catalogue:catalogue-import", lambda t: reverse("catalogue:catalogue-import"), NOBODY),
    C(
        "catalogue:catalogue-template",
        lambda t: reverse("catalogue:catalogue-template", args=["csv"]),
        NOBODY,
    ),
    C(
        "catalogue:catalogue-import",
        lambda t: reverse("catalogue:catalogue-import"),
        NOBODY,
        method="post",
        data=lambda t: {"slug": "x", "version": "2", "effective_date": "2024-01-01"},
    ),
    C("api:catalogue-list", lambda t: reverse("api:catalogue-list"), ANY_USER, api=True),
    C(
        "api:catalogue-detail",
        lambda t: reverse("api:catalogue-detail", args=[t.catalogue.pk]),
        ANY_USER,
        api=True,
        setup=_catalogue,
    ),
    C("api:criterion-list", lambda t: reverse("api:criterion-list"), ANY_USER, api=True),
    C(
        "api:criterion-detail",
        lambda t: reverse("api:criterion-detail", args=[_criterion_pk(t)]),
        ANY_USER,
        api=True,
        setup=_catalogue,
    ),
]
