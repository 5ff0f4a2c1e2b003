"""An admin reads the audit trail: changes name the people and records they point to
(read once per kind of record, not once per value), and the page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import Page, expect

from companies.models import Membership
from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from portal.testing import add_member, make_company, make_user


@pytest.mark.django_db(transaction=True)
def test_the_trail_names_who_a_change_points_to(page: Page, live_server: Any) -> None:
    company = make_company("Acme Imports LLC")
    admin = make_user("compliance@acme.test")
    add_member(company, admin, "admin")
    people = [make_user(f"guard{i}@acme.test") for i in range(3)]
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=ContentType.objects.get_for_model(Membership),
            object_pk=str(i),
            object_repr=f"gate guard {i}",
            action=LogEntry.Action.UPDATE,
            changes={"user": [str(people[i % 3].pk), str(people[(i + 1) % 3].pk)]},
            actor=admin,
            additional_data={"company_id": company.pk},
        )
        for i in range(6)
    )
    sign_in(page, "compliance@acme.test")
    page.goto(f"/companies/{company.pk}/audit/")
    expect(page.get_by_role("row").filter(has_text="gate guard")).to_have_count(6)
    expect(page.get_by_text("guard0@acme.test → guard1@acme.test").first).to_be_visible()
    page.screenshot(path=artifact_path("audit-trail.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
