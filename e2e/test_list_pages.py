"""A compliance user filters, sorts and empties list pages (partners, seal log, personnel
screening) in a real browser; each page passes axe-core with no critical or serious
finding."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from partners.models import BusinessPartner
from personnel.models import Employee, Screening
from portal.testing import add_member, make_company, make_user
from seals.models import Seal


def _first_cells(page: Page, testid: str) -> Locator:
    """The first cell of each row; asserted with expect(), which waits for the page a click
    or a submitted filter loads, so a check never reads the page it is leaving."""
    return page.get_by_test_id(testid).locator("tbody tr td:first-child")


@pytest.mark.django_db(transaction=True)
def test_filter_sort_and_empty_two_lists(page: Page, live_server: Any, broken: list[str]) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("compliance@acme.test"), "admin")
    for name, country in [("Bodega Sur", "MX"), ("Acarreos Norte", "MX"), ("Maple Freight", "CA")]:
        BusinessPartner.objects.create(
            company=company, name=name, role="highway_carrier", country=country
        )
    for number, status in [
        ("MX0000003", "in_stock"),
        ("MX0000001", "affixed"),
        ("MX0000002", "in_stock"),
    ]:
        Seal.objects.create(
            company=company,
            number=number,
            manufacturer="TydenBrooks",
            certificate_ref="ISO17712",
            storage_location="Caja fuerte",
            status=status,
        )
    sign_in(page, "compliance@acme.test")

    page.goto(f"/companies/{company.pk}/partners/")
    page.get_by_label("Country").select_option(value="MX")
    page.get_by_role("button", name="Filter").click()
    expect(_first_cells(page, "partner-table")).to_have_count(2)
    assert sorted(_first_cells(page, "partner-table").all_inner_texts()) == [
        "Acarreos Norte",
        "Bodega Sur",
    ]
    page.get_by_role("link", name="Name").click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text(re.compile("Name"))
    expect(_first_cells(page, "partner-table")).to_have_text(["Acarreos Norte", "Bodega Sur"])
    page.get_by_role("link", name="Name").click()
    expect(page.locator("th[aria-sort=descending]")).to_have_text(re.compile("Name"))
    expect(_first_cells(page, "partner-table")).to_have_text(["Bodega Sur", "Acarreos Norte"])
    page.screenshot(path=artifact_path("list-partners-sorted.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Name or tax id contains").fill("no such partner")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("list-empty")).to_contain_text("No results for these filters.")
    page.screenshot(path=artifact_path("list-partners-empty.png"), full_page=True)
    page.get_by_test_id("list-empty").get_by_role("link", name="Clear filters").click()
    expect(_first_cells(page, "partner-table")).to_have_count(3)

    page.goto(f"/companies/{company.pk}/seals/")
    page.get_by_role("link", name="Number").click()
    expect(_first_cells(page, "seal-table")).to_have_text(["MX0000001", "MX0000002", "MX0000003"])
    page.get_by_label("Status").select_option(value="in_stock")
    page.get_by_role("button", name="Filter").click()
    expect(_first_cells(page, "seal-table")).to_have_text(
        ["MX0000002", "MX0000003"]
    )  # the sort is kept
    page.screenshot(path=artifact_path("list-seals-filtered.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Status").select_option(value="voided")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("list-empty")).to_contain_text("No results for these filters.")
    assert serious_accessibility_problems(page) == []
    assert broken == []


@pytest.mark.django_db(transaction=True)
def test_an_officer_filters_sorts_and_empties_the_screening_list(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    """The personnel screening list (core.lists since it was converted): the person who
    manages personnel checks filters by outcome, sorts by date and empties the list."""
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("hr@acme.test"), "admin")
    for i, (last, outcome) in enumerate(
        [("Ruiz", "clear"), ("Lopez", "adverse"), ("Soto", "clear")]
    ):
        employee = Employee.objects.create(
            company=company, first_name="Ana", last_name=last, employee_number=f"E-{i}"
        )
        Screening.objects.create(
            company=company,
            employee=employee,
            kind="background",
            checked_on=datetime.date(2025, 1, 1 + i),
            outcome=outcome,
        )
    sign_in(page, "hr@acme.test")

    page.goto(f"/companies/{company.pk}/personnel/screenings/")
    page.get_by_label("Outcome").select_option(value="clear")
    page.get_by_role("button", name="Filter").click()
    expect(_first_cells(page, "screening-table")).to_have_text(["Ana Soto", "Ana Ruiz"])
    page.get_by_role("link", name="Checked on").click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text(re.compile("Checked on"))
    expect(_first_cells(page, "screening-table")).to_have_text(["Ana Ruiz", "Ana Soto"])
    page.screenshot(path=artifact_path("list-screenings-sorted.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Employee name or number").fill("nobody")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("list-empty")).to_contain_text("No results for these filters.")
    assert serious_accessibility_problems(page) == []

    page.goto(f"/companies/{company.pk}/personnel/access-log/")
    expect(page.get_by_test_id("access-log")).to_contain_text("Nobody has viewed them yet.")
    page.screenshot(path=artifact_path("list-access-log.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    assert broken == []


@pytest.mark.django_db(transaction=True)
def test_the_filters_and_the_form_below_them_label_their_own_fields(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    """The corrective actions page filters by status and adds an action with a status of
    its own: each "Status" label leads to its own field."""
    from actions.models import CorrectiveAction

    company = make_company("Acme Imports LLC")
    admin = make_user("compliance@acme.test")
    add_member(company, admin, "admin")
    for title, status in [("Fix the fence", "open"), ("Replace seal log", "done")]:
        CorrectiveAction.objects.create(company=company, title=title, status=status)
    sign_in(page, "compliance@acme.test")
    page.goto(f"/companies/{company.pk}/actions/")

    filters = page.get_by_role("search", name="Filters")
    status_label = re.compile(r"^Status:?$")
    filters.locator("label").filter(has_text=status_label).click()  # focuses its field
    expect(filters.get_by_label("Status")).to_be_focused()
    filters.get_by_label("Status").select_option(value="open")
    filters.get_by_role("button", name="Filter").click()
    expect(_first_cells(page, "action-table")).to_have_text(["Fix the fence"])

    form = page.locator("form[method=post]")
    form.locator("label").filter(has_text=status_label).click()
    expect(form.get_by_label("Status")).to_be_focused()
    duplicates = page.evaluate(
        "() => { const seen = {}; for (const e of document.querySelectorAll('[id]'))"
        " seen[e.id] = (seen[e.id] || 0) + 1;"
        " return Object.keys(seen).filter(k => seen[k] > 1); }"
    )
    assert duplicates == []
    page.screenshot(path=artifact_path("list-actions-filtered.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    assert broken == []
