"""A specialist finds a company in the program office's list of every company: searches by
account number, filters by business type, sorts by name and downloads the filtered CSV;
the page passes axe-core with no violation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, expect

from e2e.conftest import artifact_path
from e2e.test_homes import axe_violations
from portal.testing import make_company, make_user
from portal.testing import sign_in as session_sign_in


@pytest.mark.django_db(transaction=True)
def test_a_specialist_finds_a_company_by_account_and_type(
    browser: Browser, live_server: Any
) -> None:
    names = ["Zamora Rail S.A. de C.V.", "Bayside Imports LLC", "Andes Rail Ltda."]
    rail, importer, rail_too = (
        make_company(name, business_type=kind)
        for name, kind in zip(names, ["rail_carrier", "importer", "rail_carrier"], strict=True)
    )
    specialist = make_user("sam.ortiz@cbp.test", program_role="specialist", mfa=True)
    client = Client()
    session_sign_in(client, specialist)
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto("/companies/")
    table = page.get_by_test_id("all-companies")
    expect(table).to_contain_text(importer.legal_name)

    page.get_by_label("Name, DBA or account number").fill(rail.account_number)
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(rail.legal_name)

    page.get_by_label("Name, DBA or account number").fill("")
    page.get_by_label("Business type").select_option(value="rail_carrier")
    page.get_by_role("button", name="Filter").click()
    table.get_by_role("link", name="Company", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text(re.compile("Company"))
    expect(table.locator("tbody tr td:nth-child(2) a")).to_have_text(
        [rail_too.legal_name, rail.legal_name]
    )
    assert axe_violations(page) == []
    page.screenshot(path=artifact_path("company-directory-specialist.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).click()
    body = open(download.value.path(), encoding="utf-8").read()
    assert rail.legal_name in body and rail_too.legal_name in body
    assert importer.legal_name not in body
    context.close()
