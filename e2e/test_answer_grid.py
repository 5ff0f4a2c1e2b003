"""Answering the status and owner of all 96 importer criteria takes a handful of page
loads: the answers grid applies one change to every criterion shown (HTMX, no reload),
a row saves on its own when changed, and the criterion page still holds the narrative and
the evidence. Page loads are counted as main-frame navigations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from portal.testing import add_member, make_company, make_user
from profiles.models import Response, SecurityProfile
from profiles.tests.factories import load_msc

MAX_PAGE_LOADS = 10


@pytest.mark.django_db(transaction=True)
def test_status_and_owner_of_every_criterion_in_a_few_page_loads(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    load_msc()
    company = make_company("Acme Imports LLC")
    admin = make_user("kim.walsh@acme.test")
    owner = make_user("jorge.ramirez@acme.test")
    add_member(company, admin, "admin")
    add_member(company, owner, "user")
    sign_in(page, fresh=True, email=admin.email)

    loads: list[str] = []

    def count(frame: Frame) -> None:
        if frame == page.main_frame:
            loads.append(frame.url)

    page.on("framenavigated", count)
    page.goto(f"/companies/{company.pk}/profile/")
    page.get_by_role("link", name="Answer many at once").click()
    grid = page.get_by_test_id("answers-grid")
    expect(grid.locator("tbody tr")).to_have_count(96)

    bulk = page.get_by_test_id("bulk-form")
    bulk.get_by_label("every criterion shown").check()
    bulk.get_by_label("Set status").select_option("partly")
    bulk.get_by_label("Set owner").select_option(label=owner.email)
    bulk.get_by_label("Set due date").fill("2027-03-31")
    page.get_by_test_id("bulk-apply").click()
    expect(page.get_by_test_id("bulk-note")).to_have_text("96 answers changed.")

    # One row changed on its own: saved in place, marked "Saved".
    row = page.get_by_test_id("row-1.1")
    row.get_by_label("Status of 1.1").select_option("implemented")
    expect(page.get_by_test_id("row-1.1").get_by_test_id("row-saved")).to_be_visible()
    page.screenshot(path=artifact_path("answers-grid.png"), full_page=False)
    row.scroll_into_view_if_needed()
    page.screenshot(path=artifact_path("answers-grid-rows.png"), full_page=False)
    assert serious_accessibility_problems(page) == []

    # Filter the grid by status: the one implemented criterion.
    page.get_by_test_id("grid-filters").get_by_label("Status").select_option("implemented")
    page.get_by_test_id("grid-filters").get_by_role("button", name="Filter").click()
    expect(grid.locator("tbody tr")).to_have_count(1)

    # The criterion page keeps the narrative and the evidence.
    page.get_by_test_id("row-1.1").get_by_role("link", name="1.1").click()
    expect(page.get_by_label("How we meet it")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Upload", re.I)).first).to_be_visible()

    assert len(loads) <= MAX_PAGE_LOADS, loads
    profile = SecurityProfile.objects.get(company=company)
    answers = Response.objects.filter(profile=profile)
    assert answers.count() == 96
    assert answers.filter(owner=owner, due_date__isnull=False).count() == 96
    assert answers.filter(status="partly").count() == 95
    assert answers.filter(status="implemented").count() == 1
    assert not broken, "\n".join(sorted(set(broken)))
    print(f"page loads to answer status+owner for 96 criteria: {len(loads)}")  # noqa: T201
