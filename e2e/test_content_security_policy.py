"""Under the portal's Content-Security-Policy (scripts from the portal only, none inline)
the pages still work in a real browser: the language switch, the partners dashboard's
chart, a confirmation before a removal, and the API documentation, with no violation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from e2e.conftest import serious_accessibility_problems, sign_in
from partners.models import BusinessPartner
from portal.testing import add_member, make_company, make_user


@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_policy_without_a_violation(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("compliance@acme.test"), "user")
    BusinessPartner.objects.create(
        company=company, name="Maquila Norte", role="manufacturer", country="MX"
    )
    violations: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    sign_in(page, "compliance@acme.test")

    # The language switch submits itself when a language is picked (no inline handler).
    page.goto(f"/companies/{company.pk}/")
    page.get_by_label("Language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Idioma").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The dashboard's chart is drawn by a script file from the figures in the page.
    page.goto(f"/companies/{company.pk}/partners/dashboard/")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('portfolio-chart'))"
    )
    assert serious_accessibility_problems(page) == []

    # The API documentation runs Swagger UI from the portal's own static files.
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)

    assert violations == []
    assert broken == []


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_still_guards_a_removal(page: Page, live_server: Any) -> None:
    """`data-confirm` replaced the inline `onsubmit="return confirm(...)"`: dismissing the
    question keeps the supply chain, accepting it removes the chain."""
    import datetime

    from risk.models import Assessment, SupplyChain

    company = make_company("Acme Imports LLC")
    user = make_user("risk@acme.test")
    add_member(company, user, "admin")
    assessment = Assessment.objects.create(
        company=company, year=2026, assessed_on=datetime.date(2026, 3, 1)
    )
    chain = SupplyChain.objects.create(assessment=assessment, name="Monterrey to Laredo")
    sign_in(page, "risk@acme.test")
    url = f"/companies/{company.pk}/risk/chains/{chain.pk}/"
    page.goto(url)

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name=re.compile("Remove", re.I)).click()
    page.wait_for_timeout(500)
    assert SupplyChain.objects.filter(pk=chain.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("Remove", re.I)).click()
    expect(page).not_to_have_url(re.compile(rf"/chains/{chain.pk}/$"))
    assert not SupplyChain.objects.filter(pk=chain.pk).exists()
