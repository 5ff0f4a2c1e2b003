"""Three lists moved onto the one list machinery (core.lists), driven in a browser by the
people who use them: the compliance lead filters the risk assessment history and sorts
the profile submissions; a guard filters the gate log on a 390×844 phone in Spanish.
Each page passes axe-core with no critical or serious finding."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from e2e.conftest import artifact_path, phone_in_spanish, serious_accessibility_problems, sign_in
from portal.testing import add_member, make_company, make_user

PHONE: ViewportSize = {"width": 390, "height": 844}


def _first_cells(page: Page, testid: str) -> Locator:
    """The first cell of each row; asserted with expect(), which waits for the page a click
    or a submitted filter loads, so a check never reads the page it is leaving."""
    return page.get_by_test_id(testid).locator("tbody tr td:first-child")


@pytest.mark.django_db(transaction=True)
def test_risk_history_and_submissions_filter_and_sort(page: Page, live_server: Any) -> None:
    from profiles.models import Submission
    from profiles.tests.factories import make_catalogue, start_profile
    from risk.models import Assessment

    company = make_company("Acme Imports LLC")
    lead = make_user("compliance@acme.test")
    add_member(company, lead, "admin")
    for year, status in [(2024, "completed"), (2025, "completed"), (2026, "draft")]:
        Assessment.objects.create(
            company=company, year=year, assessed_on=datetime.date(year, 3, 1), status=status
        )
    make_catalogue()
    profile = start_profile(company)
    for number, kind in [(1, "submission"), (2, "annual_review"), (3, "submission")]:
        Submission.objects.create(
            company=company,
            profile=profile,
            number=number,
            kind=kind,
            submitted_by=lead,
            submitted_at=timezone.now() - datetime.timedelta(days=400 - number * 100),
            signer_name="Dana Price",
            signer_title="COO",
            attestation="I attest.",
            overall_score=50 + number,
            snapshot={},
        )
    sign_in(page, "compliance@acme.test")

    page.goto(f"/companies/{company.pk}/risk/")
    expect(_first_cells(page, "assessment-history")).to_have_text(["2026", "2025", "2024"])
    page.get_by_label("Status").select_option(value="completed")
    page.get_by_role("button", name="Filter").click()
    expect(_first_cells(page, "assessment-history")).to_have_text(["2025", "2024"])
    page.get_by_role("link", name="Year").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Year")
    expect(_first_cells(page, "assessment-history")).to_have_text(["2024", "2025"])
    page.screenshot(path=artifact_path("list-risk-history.png"), full_page=True)
    assert serious_accessibility_problems(page) == []

    page.goto(f"/companies/{company.pk}/profile/submissions/")
    expect(_first_cells(page, "submission-table")).to_have_text(["3", "2", "1"])
    page.get_by_label("Kind").select_option(value="annual_review")
    page.get_by_role("button", name="Filter").click()
    expect(_first_cells(page, "submission-table")).to_have_text(["2"])
    expect(page.get_by_label("Compare submission").locator("option")).to_have_count(3)
    page.screenshot(path=artifact_path("list-submissions.png"), full_page=True)
    assert serious_accessibility_problems(page) == []


@pytest.mark.django_db(transaction=True)
def test_a_guard_filters_the_gate_log_on_a_phone(browser: Browser, live_server: Any) -> None:
    from inspections.models import GateEntry

    company = make_company("Transportes del Norte SA de CV")
    guard = make_user("caseta@norte.test")
    add_member(company, guard, "user")
    for i, (driver, direction) in enumerate(
        [("Luis Pérez", "in"), ("Ana Ruiz", "out"), ("Juan Soto", "in")]
    ):
        GateEntry.objects.create(
            company=company,
            direction=direction,
            at=timezone.now() - datetime.timedelta(hours=i),
            driver_name=driver,
            tractor_plate=f"ABC{i}23",
            recorded_by=guard,
        )
    context = phone_in_spanish(browser, live_server, guard)
    page = context.new_page()
    page.goto(f"/companies/{company.pk}/inspections/gate/")
    page.screenshot(path=artifact_path("field-gate-log.png"), full_page=True)
    table = page.get_by_test_id("gate-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    page.locator("#filter_direction").select_option(value="in")
    page.locator("form.filters button[type=submit]").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).not_to_contain_text("Ana Ruiz")
    page.screenshot(path=artifact_path("field-gate-log-filtered.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert serious_accessibility_problems(page) == []
    context.close()
