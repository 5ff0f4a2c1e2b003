"""Permission cases of a person's own pages: every signed-in person has an inbox, a task
list and settings; a notice opens only for the person it was written to (404 for anyone
else, whatever their role)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from notices.models import Notice
from portal.testing import ANY_USER, PermissionCase


def officers_notice(t: Any) -> None:
    t.notice = Notice.objects.create(
        user=t.users["officer"], kind="test", key="1", company=t.company, title="Certified"
    )


CASES = [
    PermissionCase("notices:inbox", lambda t: reverse("notices:inbox"), ANY_USER),
    PermissionCase("notices:task-list", lambda t: reverse("notices:task-list"), ANY_USER),
    PermissionCase("notices:settings", lambda t: reverse("notices:settings"), ANY_USER),
    PermissionCase(
        "notices:settings",
        lambda t: reverse("notices:settings"),
        ANY_USER,
        method="post",
        data=lambda t: {"email": "on", "digest": "on", "language": ""},
    ),
    PermissionCase("notices:counts", lambda t: reverse("notices:counts"), ANY_USER),
    PermissionCase(
        "notices:read-all", lambda t: reverse("notices:read-all"), ANY_USER, method="post"
    ),
    PermissionCase(
        "notices:notice-detail",
        lambda t: reverse("notices:notice-detail", args=[t.notice.pk]),
        frozenset({"officer"}),
        setup=officers_notice,
    ),
    PermissionCase("api:notice-list", lambda t: reverse("api:notice-list"), ANY_USER, api=True),
    PermissionCase(
        "api:notice-detail",
        lambda t: reverse("api:notice-detail", args=[t.notice.pk]),
        frozenset({"officer"}),
        setup=officers_notice,
        api=True,
    ),
    PermissionCase(
        "api:notice-read",
        lambda t: reverse("api:notice-read", args=[t.notice.pk]),
        frozenset({"officer"}),
        method="post",
        setup=officers_notice,
        api=True,
    ),
    PermissionCase(
        "api:notice-read-all",
        lambda t: reverse("api:notice-read-all"),
        ANY_USER,
        method="post",
        api=True,
    ),
    PermissionCase("api:notice-counts", lambda t: reverse("api:notice-counts"), ANY_USER, api=True),
    PermissionCase(
        "api:notice-settings", lambda t: reverse("api:notice-settings"), ANY_USER, api=True
    ),
    PermissionCase(
        "api:notice-settings",
        lambda t: reverse("api:notice-settings"),
        ANY_USER,
        method="patch",
        data=lambda t: {"digest": False},
        api=True,
    ),
]
