"""A compliance user records a Dutch forwarder's EU AEO certificate from the partner's
page, sees the vetting path turn short, and opens the partners dashboard, whose chart is
drawn by Chart.js, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import sign_in
from partners.models import BusinessPartner
from portal.testing import add_member, make_company, make_user
from recognition.tests.factories import PDF_BYTES


@pytest.mark.django_db(transaction=True)
def test_an_aeo_certificate_shortens_vetting_and_shows_on_the_dashboard(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("compliance@acme.test"), "user")
    BusinessPartner.objects.create(
        company=company, name="Rotterdam Forwarding BV", role="forwarder", country="NL"
    )
    BusinessPartner.objects.create(
        company=company, name="Maquila Norte", role="manufacturer", country="MX"
    )
    sign_in(page, "compliance@acme.test")

    page.goto(f"/companies/{company.pk}/partners/")
    page.get_by_role("link", name="Rotterdam Forwarding BV").click()
    expect(page.get_by_test_id("vetting-path")).to_contain_text("Full questionnaire required")
    page.get_by_role("link", name="Record a program status").click()
    page.locator("select[name=program]").select_option(value="aeo")
    page.get_by_label("Issuing country").select_option(value="NL")
    page.get_by_label("Certificate / account number").fill("NLAEOF0001234")
    page.get_by_label("Issued on").fill("2024-03-01")
    page.get_by_label("Proof document").set_input_files(
        {"name": "aeo-certificate.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("vetting-path")).to_contain_text("Short path (proof + screening)")
    expect(page.get_by_test_id("status-table")).to_contain_text("European Union MRA")

    page.goto(f"/companies/{company.pk}/partners/")
    page.get_by_role("link", name="Dashboard").click()
    table = page.get_by_test_id("path-table")
    expect(table.locator("tbody tr").last).to_contain_text("1")
    drawn = page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('portfolio-chart'))"
        " ? Chart.getChart(document.getElementById('portfolio-chart')).data.labels : null"
    )
    assert sorted(drawn.json_value()) == ["Mexico", "Netherlands"]
    assert broken == []
