"""A security manager maps a two-node supply chain (Mexican manufacturer → U.S.
distribution centre), rates the Mexican threat and one vulnerability, and sees the chain
in the heat map and its flow drawn as a diagram, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import artifact_path, docs_screenshot, sign_in
from partners.models import BusinessPartner
from portal.testing import add_member, make_company, make_user


@pytest.mark.django_db(transaction=True)
def test_a_mapped_and_rated_chain_shows_in_the_heat_map(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("security@acme.test"), "admin")
    BusinessPartner.objects.create(
        company=company, name="Maquila Norte", role="manufacturer", country="MX"
    )
    sign_in(page, "security@acme.test")

    page.goto(f"/companies/{company.pk}/")
    page.locator("nav.main-nav summary", has_text="Risk").click()  # the menu's Risk area
    page.get_by_role("link", name="Risk assessment").first.click()
    page.get_by_role("button", name="Start the first assessment").click()
    page.get_by_role("link", name="Add a supply chain").click()
    page.get_by_label("Name").fill("Monterrey to Dallas")
    page.get_by_role("button", name="Add supply chain").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monterrey to Dallas")

    # Step 1: the cargo flow, origin first.
    page.get_by_role("link", name="Add a node").click()
    page.get_by_label("Name").fill("Maquila Norte plant")
    page.get_by_label("Kind").select_option(label="Origin facility")
    # The partner is found by typing part of its name (no list of every partner).
    page.get_by_label("Business partner").fill("maquila")
    page.get_by_role("button", name="Maquila Norte (MX)").click()
    expect(page.get_by_label("Business partner")).to_have_value("Maquila Norte (MX)")
    page.screenshot(path=artifact_path("node-form-partner-search.png"), full_page=True)
    page.get_by_label("Country").select_option(value="MX")
    page.get_by_label("Transport mode out").select_option(label="Road")
    page.get_by_label("Cargo rests here").check()
    page.get_by_label("Hours at rest").fill("12")
    page.get_by_role("button", name="Add node").click()
    page.get_by_role("link", name="Add a node").click()
    page.get_by_label("Name").fill("Dallas DC")
    page.get_by_label("Kind").select_option(label="Destination distribution centre")
    page.get_by_label("Country").select_option(value="US")
    page.get_by_label("Transport mode out").select_option(label="None (end of the flow)")
    expect(page.locator("#id_comes_from_0")).to_be_checked()  # comes from the origin
    page.get_by_role("button", name="Add node").click()
    expect(page.get_by_test_id("node-list").locator("tbody tr")).to_have_count(2)
    diagram = page.get_by_test_id("flow-diagram")
    expect(diagram.locator("svg")).to_be_visible()
    expect(diagram.locator("svg")).to_contain_text("Maquila Norte plant")
    expect(diagram.locator("svg")).to_contain_text("Dallas DC")
    chain_url = page.url

    # Step 2: the threat of Mexico, entered on the threat ratings pages.
    page.goto(f"/companies/{company.pk}/threats/new/?country=MX&category=contraband")
    page.get_by_label("High").check()
    page.locator("#id_source").fill("U.S. State Department travel advisory")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_be_visible()

    # Step 3: one vulnerability, overriding the suggestion with a reason (HTMX row).
    page.goto(chain_url)
    row = page.locator("#category-3")
    row.get_by_role("link", name="Rate").click()
    row = page.locator("#category-3")
    row.get_by_label("Vulnerability").select_option(label="Medium")
    row.get_by_role("button", name="Save rating").click()
    expect(page.locator("#category-3")).to_contain_text("say why")
    page.locator("#category-3").get_by_label("Reason for a different level").fill(
        "Partner audited on site in January; profile not yet updated."
    )
    page.locator("#category-3").get_by_role("button", name="Save rating").click()
    rated = page.locator("#category-3").get_by_test_id("rated-level")
    expect(rated.locator('[data-level="M"]')).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("chain-risk").locator('[data-level="H"]')).to_be_visible()

    # Step 4 view: the heat map places the chain at High threat × Medium vulnerability.
    page.get_by_role("link", name="Back to the assessment").click()
    cell = page.get_by_test_id("heat-map").locator('td[data-threat="H"][data-vulnerability="M"]')
    expect(cell).to_contain_text("Monterrey to Dallas")
    expect(cell).to_have_attribute("data-level", "H")
    expect(page.get_by_test_id("chain-risks").get_by_test_id("risk-level")).to_contain_text("High")
    page.screenshot(path=docs_screenshot("risk-heat-map.png"), full_page=True)
    page.goto(chain_url)
    expect(page.get_by_test_id("flow-diagram").locator("svg")).to_be_visible()
    page.screenshot(path=artifact_path("risk-chain-diagram.png"), full_page=True)
    assert broken == []
