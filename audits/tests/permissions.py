"""Permission cases for the mock audit pages and API (walked by core's matrix)."""

from __future__ import annotations

from portal.testing import ANY_USER, EDITORS, VIEWERS, PermissionCase
from profiles.tests.permissions import api, audit_world, page, pdf

C = PermissionCase
AUDIT = lambda t: t.audit.pk  # noqa: E731
CRITERION = lambda t: t.criterion.pk  # noqa: E731

CASES = [
    C("audits:audit-list", page("audits:audit-list"), VIEWERS, setup=audit_world),
    C("audits:audit-list", page("audits:audit-list"), EDITORS, method="post", setup=audit_world,
      data=lambda t: {"title": "Pre-validation walk", "kind": "internal"}),
    C("audits:audit-detail", page("audits:audit-detail", AUDIT), VIEWERS, setup=audit_world),
    C("audits:finding-edit", page("audits:finding-edit", AUDIT, CRITERION), EDITORS,
      method="post", setup=audit_world, data=lambda t: {"result": "pass"}),
    C("audits:photo-upload", page("audits:photo-upload", AUDIT, CRITERION), EDITORS,
      method="post", setup=audit_world, data=lambda t: {"file": pdf("gate.pdf")}),
    C("audits:photo-download", page("audits:photo-download", lambda t: t.photo.pk), VIEWERS,
      setup=audit_world),
    C("audits:audit-complete", page("audits:audit-complete", AUDIT), EDITORS, method="post",
      setup=audit_world),
    C("api:mockaudit-list", api("api:mockaudit-list"), ANY_USER, api=True),
    C("api:mockaudit-list", api("api:mockaudit-list"), EDITORS, api=True, method="post",
      setup=audit_world, data=lambda t: {"company": t.company.pk, "title": "Walk"}, ok=(201,)),
    C("api:mockaudit-detail", api("api:mockaudit-detail", AUDIT), VIEWERS, api=True,
      setup=audit_world),
    C("api:mockaudit-complete", api("api:mockaudit-complete", AUDIT), EDITORS, api=True,
      method="post", setup=audit_world),
    C("api:finding-list", api("api:finding-list"), ANY_USER, api=True),
    C("api:finding-detail", api("api:finding-detail", lambda t: t.finding.pk), VIEWERS,
      api=True, setup=audit_world),
]  # fmt: skip
