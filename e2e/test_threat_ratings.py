"""A compliance user rates Mexico's theft threat by hand, imports a CSV of more ratings
with their sources (a file with a bad row first), and reads the grid in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import artifact_path
from portal.testing import PASSWORD, add_member, make_company, make_user
from threats.models import ThreatRating


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


HEADER = b"country,region,category,level,source,source_url,rated_on\n"


@pytest.mark.django_db(transaction=True)
def test_rate_import_and_read_the_grid(page: Page, live_server: Any, broken: list[str]) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("compliance@acme.test"), "user")
    sign_in(page, "compliance@acme.test")

    page.goto(f"/companies/{company.pk}/threats/")
    expect(page.get_by_test_id("no-ratings")).to_be_visible()
    page.get_by_role("link", name="Add a rating").first.click()
    page.get_by_label("Country").select_option(value="MX")
    page.get_by_label("Region").fill("Chihuahua")
    page.get_by_label("Threat category").select_option(value="theft")
    page.get_by_label("High").check()
    page.locator("input[name=source]").fill("OSAC Mexico Country Security Report")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("country-ratings")).to_contain_text("Chihuahua")

    page.goto(f"/companies/{company.pk}/threats/import/")
    bad = HEADER + b"MX,,terrorism,L,,,2026-01-15\n"
    page.get_by_label("File").set_input_files(
        {"name": "ratings.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("without a source")
    assert not ThreatRating.objects.filter(category="terrorism").exists()

    page.get_by_role("link", name="Upload again").click()
    good = HEADER + (
        b"MX,,terrorism,L,U.S. State Department Country Reports on Terrorism,,2026-01-15\n"
        b"Mexico,,Crimen organizado,Alto,INCSR 2025,,2026-01-15\n"
        b"GT,,contraband,M,INCSR 2025,,2026-01-15\n"
    )
    page.get_by_label("File").set_input_files(
        {"name": "ratings.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-preview").locator("tbody tr")).to_have_count(3)
    page.get_by_role("button", name="Import").click()

    grid = page.get_by_test_id("threat-grid")
    mexico = grid.locator('tr[data-place="MX"]')
    expect(mexico.locator('td[data-category="organized_crime"]')).to_contain_text("High")
    chihuahua = grid.locator('tr[data-place="MX/MX-CHH"]')
    expect(chihuahua.locator('td[data-category="theft"]')).to_contain_text("High")
    # Chihuahua has no terrorism rating of its own: Mexico's shows, marked as the country's.
    expect(chihuahua.locator('td[data-category="terrorism"]')).to_contain_text("(country)")
    expect(grid.locator('tr[data-place="GT"] td[data-category="terrorism"]')).to_contain_text(
        "not rated"
    )
    page.screenshot(path=artifact_path("threat-ratings-grid.png"), full_page=True)
    assert broken == []
