"""A compliance user adjudicates a screening alert in a real browser: reads the list entry
beside the partner in plain words, must choose a verdict and give a reason, confirms the
match, sees the partner on hold everywhere and the decided alert kept; an administrator
lifts the hold with a reason. The same page is checked in Spanish."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from partners import workflow
from partners.models import BusinessPartner
from partners.tests.test_adjudication import fake_index
from portal.testing import add_member, make_company, make_user


@pytest.fixture
def lists() -> Iterator[None]:
    with mock.patch("partners.workflow.active_index", fake_index):
        yield


@pytest.mark.django_db(transaction=True)
def test_a_compliance_user_confirms_a_match_and_an_admin_lifts_the_hold(
    page: Page, live_server: Any, broken: list[str], lists: None
) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("compliance@acme.test"), "user")
    add_member(company, make_user("admin@acme.test"), "admin")
    partner = BusinessPartner.objects.create(
        company=company, name="Naviera Oscura Internacional", role="sea_carrier",
        country="MX", tax_id="NOI-991", street="Av. del Puerto 4", city="Manzanillo",
    )  # fmt: skip
    workflow.screen_partners([partner])
    sign_in(page, "compliance@acme.test")

    page.goto(f"/companies/{company.pk}/partners/alerts/")
    expect(page.get_by_test_id("alert-why")).to_contain_text(
        "Same name apart from a legal form; different country"
    )
    page.get_by_role("link", name="Naviera Oscura Internacional").click()
    match = page.get_by_test_id("match").first
    expect(match.get_by_test_id("plain-why")).to_contain_text("different country (listed: Panama)")
    expect(match.get_by_test_id("listed-name").locator("mark").first).to_have_text("Naviera")
    expect(
        page.get_by_role("radio", name="True match: this partner is the listed party")
    ).not_to_be_checked()
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=artifact_path("screening-adjudication.png"), full_page=True)

    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Choose a decision.")).to_be_visible()
    expect(page.get_by_text("Write the reason for your decision.")).to_be_visible()
    page.get_by_role("radio", name="True match: this partner is the listed party").check()
    page.get_by_label("Reason").fill("Same name and port address as the SDN entry; RFC matches.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("is on hold")

    page.get_by_label("Alerts").select_option("decided")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("alert")).to_contain_text("True match")
    page.goto(f"/companies/{company.pk}/partners/")
    expect(page.get_by_test_id("on-hold")).to_be_visible()
    page.get_by_role("link", name="Naviera Oscura Internacional").click()
    expect(page.get_by_test_id("hold")).to_contain_text("cannot take the short vetting path")
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=artifact_path("partner-on-hold.png"), full_page=True)
    page.get_by_test_id("hold").get_by_role("link", name="Lift the hold").click()
    expect(page.get_by_test_id("hold-role")).to_be_visible()  # a user may not lift it

    sign_in(page, "admin@acme.test", fresh=True)
    page.goto(f"/companies/{company.pk}/partners/{partner.pk}/hold/lift/")
    page.get_by_label("Why the hold can be lifted").fill("OFAC specific licence 2026-114 on file.")
    page.get_by_role("button", name="Lift the hold").click()
    expect(page.get_by_test_id("hold-lifted")).to_contain_text("OFAC specific licence 2026-114")
    # The one deliberate 400: the decision sent without a verdict or a reason.
    assert [b for b in broken if not b.startswith("400 POST")] == []
    assert len(broken) == 1 and broken[0].endswith("/decide/")


@pytest.mark.django_db(transaction=True)
def test_the_alert_page_in_spanish_on_a_phone(page: Page, live_server: Any, lists: None) -> None:
    company = make_company("Importadora Acme, S.A. de C.V.")
    add_member(company, make_user("cumplimiento@acme.test"), "user")
    partner = BusinessPartner.objects.create(
        company=company, name="Naviera Oscura Internacional", role="sea_carrier", country="PA"
    )
    screening = workflow.screen_partners([partner])[0]
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "cumplimiento@acme.test")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url}]
    )
    page.goto(f"/companies/{company.pk}/partners/alerts/{screening.pk}/")
    expect(page.get_by_test_id("plain-why")).to_contain_text(
        "Mismo nombre salvo la forma jurídica; mismo país"
    )
    expect(
        page.get_by_role("radio", name="Coincidencia verdadera: este socio es la parte listada")
    ).to_be_visible()
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=artifact_path("screening-adjudication-es.png"), full_page=True)
