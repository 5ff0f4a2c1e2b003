"""Permission cases for the site-audit pages and API (walked by core's matrix). The
partner's page under /sa/ is public: the link token alone opens one audit's actions."""

from __future__ import annotations

from django.urls import reverse

from portal.testing import ANY_USER, EDITORS, PUBLIC, VIEWERS, PermissionCase
from profiles.tests.permissions import api, page
from siteaudits.tests.world import world

C = PermissionCase
AUDIT = lambda t: t.audit.pk  # noqa: E731
DONE = lambda t: t.done.pk  # noqa: E731
ITEM = lambda t: t.item.pk  # noqa: E731

CASES = [
    C("siteaudits:audit-list", page("siteaudits:audit-list"), VIEWERS, setup=world),
    C("siteaudits:audit-list", page("siteaudits:audit-list"), EDITORS, method="post",
      setup=world, data=lambda t: {"partner": t.partner.pk, "planned_on": "2026-05-04",
                                   "auditor": t.users["user"].pk, "source": "msc",
                                   "language": "en"}),
    C("siteaudits:checklist-list", page("siteaudits:checklist-list"), VIEWERS),
    C("siteaudits:checklist-list", page("siteaudits:checklist-list"), EDITORS, method="post",
      data=lambda t: {"name": "Short walk", "lines": "3.5 | Visitors escorted | Visitas"}),
    C("siteaudits:audit-detail", page("siteaudits:audit-detail", AUDIT), VIEWERS, setup=world),
    C("siteaudits:item-edit", page("siteaudits:item-edit", AUDIT, ITEM), EDITORS,
      method="post", setup=world, data=lambda t: {"result": "met"}),
    C("siteaudits:audit-complete", page("siteaudits:audit-complete", AUDIT), EDITORS,
      method="post", setup=world),
    C("siteaudits:audit-link", page("siteaudits:audit-link", DONE), EDITORS, method="post",
      setup=world),
    C("siteaudits:audit-report", page("siteaudits:audit-report", DONE), VIEWERS, setup=world),
    C("siteaudits:photo-download", page("siteaudits:photo-download", lambda t: t.photo.pk),
      VIEWERS, setup=world),
    C("siteaudit-links:reply", lambda t: reverse("siteaudit-links:reply", args=[t.token]),
      PUBLIC, setup=world),
    C("siteaudit-links:reply", lambda t: reverse("siteaudit-links:reply", args=[t.token]),
      PUBLIC, method="post", setup=world,
      data=lambda t: {"action": t.action.pk, "name": "Ana", "text": "Gate now locked"}),
    C("api:siteaudit-list", api("api:siteaudit-list"), ANY_USER, api=True),
    C("api:siteaudit-list", api("api:siteaudit-list"), EDITORS, api=True, method="post",
      setup=world, ok=(201,),
      data=lambda t: {"company": t.company.pk, "partner": t.partner.pk,
                      "planned_on": "2026-06-01"}),
    C("api:siteaudit-detail", api("api:siteaudit-detail", AUDIT), VIEWERS, api=True,
      setup=world),
    C("api:siteaudit-complete", api("api:siteaudit-complete", DONE), EDITORS, api=True,
      method="post", setup=world, ok=(409,)),
    C("api:siteaudititem-list", api("api:siteaudititem-list"), ANY_USER, api=True),
    C("api:siteaudititem-detail", api("api:siteaudititem-detail", ITEM), VIEWERS, api=True,
      setup=world),
    C("api:siteaudititem-detail", api("api:siteaudititem-detail", ITEM), EDITORS, api=True,
      method="patch", setup=world, data=lambda t: {"result": "na"}),
]  # fmt: skip
