"""A customer asks a participating partner for its security-profile summary; the partner's
administrator shares only its status and readiness; the customer reads exactly that, and
the partner sees the view in the trail and revokes, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from partners.models import BusinessPartner
from portal.testing import add_member, make_company, make_user
from profiles.tests.factories import answer, make_catalogue, start_profile, submit
from verification.tests.factories import participating


@pytest.mark.django_db(transaction=True)
def test_request_share_view_and_revoke(
    page: Page, context: BrowserContext, live_server: Any, broken: list[str]
) -> None:
    customer = make_company("Acme Imports LLC")
    add_member(customer, make_user("compliance@acme.test"), "user")
    BusinessPartner.objects.create(
        company=customer, name="Norte (our record)", role="highway_carrier", country="MX"
    )
    sharer = make_company(
        "Transportes del Norte SA de CV", business_type="highway_carrier", country="MX"
    )
    admin = make_user("admin@norte.test")
    add_member(sharer, admin, "admin")
    participating(sharer, admin)
    make_catalogue()
    profile = start_profile(sharer)
    answer(profile, "1.1", status="implemented")
    answer(profile, "1.2", status="not_implemented")
    submit(profile, admin)

    sign_in(page, fresh=True, email="compliance@acme.test")
    page.goto(f"/companies/{customer.pk}/sharing/")
    page.get_by_label("Company name or DBA").fill("Norte")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("results")
    results.get_by_label("Your partner record (optional)").select_option(
        label="Norte (our record) (MX)"
    )
    results.get_by_role("button", name="Request summary").click()
    expect(page.get_by_text("Request sent.")).to_be_visible()

    sign_in(page, fresh=True, email="admin@norte.test")
    page.goto(f"/companies/{sharer.pk}/sharing/")
    page.get_by_test_id("shares").get_by_role("link", name="Decide").click()
    page.get_by_label("Certification status and tier").check()
    page.get_by_label("Readiness per MSC category (percent met)").check()
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("Shared")
    share_url = page.url

    sign_in(page, fresh=True, email="compliance@acme.test")
    page.goto(f"/companies/{customer.pk}/sharing/")
    page.get_by_label("Direction").select_option(value="received")
    page.get_by_role("button", name="Filter").click()
    received = page.get_by_test_id("shares")
    expect(received).to_contain_text("Norte (our record)")
    page.screenshot(path=artifact_path("sharing-list-received.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    received.get_by_role("link", name="View summary").click()
    expect(page.get_by_test_id("certification")).to_contain_text("Certified (tier 1)")
    expect(page.get_by_test_id("readiness")).to_contain_text("25 %")
    expect(page.get_by_text("Criteria met and not met")).to_have_count(0)
    summary_url = page.url

    sign_in(page, fresh=True, email="admin@norte.test")
    page.goto(share_url)
    expect(page.get_by_test_id("trail")).to_contain_text("compliance@acme.test")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_test_id("status")).to_have_text("Revoked")

    sign_in(page, fresh=True, email="compliance@acme.test")
    response = page.goto(summary_url)
    assert response is not None and response.status == 404
    assert broken == [f"404 GET {summary_url}"]  # the revoked summary, and nothing else
