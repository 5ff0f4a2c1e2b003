"""Permission cases for the corrective action pages and API (walked by core's matrix)."""

from __future__ import annotations

from portal.testing import ANY_USER, EDITORS, VIEWERS, PermissionCase
from profiles.tests.permissions import action_world, api, page, pdf

C = PermissionCase
ACTION = lambda t: t.action.pk  # noqa: E731

CASES = [
    C("actions:action-list", page("actions:action-list"), VIEWERS, setup=action_world),
    C("actions:action-list", page("actions:action-list"), EDITORS, method="post",
      data=lambda t: {"title": "Fix the fence", "status": "open"}),
    C("actions:action-detail", page("actions:action-detail", ACTION), VIEWERS, setup=action_world),
    C("actions:action-detail", page("actions:action-detail", ACTION), EDITORS, method="post",
      setup=action_world, data=lambda t: {"title": "Fix the fence", "status": "in_progress"}),
    C("actions:action-evidence-upload", page("actions:action-evidence-upload", ACTION), EDITORS,
      method="post", setup=action_world, data=lambda t: {"file": pdf()}),
    C("actions:action-evidence-download",
      page("actions:action-evidence-download", lambda t: t.action_file.pk), VIEWERS,
      setup=action_world),
    C("api:correctiveaction-list", api("api:correctiveaction-list"), ANY_USER, api=True),
    C("api:correctiveaction-list", api("api:correctiveaction-list"), EDITORS, api=True,
      method="post", data=lambda t: {"company": t.company.pk, "title": "Fix the fence"},
      ok=(201,)),
    C("api:correctiveaction-detail", api("api:correctiveaction-detail", ACTION), VIEWERS,
      api=True, setup=action_world),
    C("api:correctiveaction-detail", api("api:correctiveaction-detail", ACTION), EDITORS,
      api=True, method="patch", setup=action_world, data=lambda t: {"status": "in_progress"}),
]  # fmt: skip
