"""A training coordinator records a session with three attendees and sees the training
matrix turn green, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import artifact_path, serious_accessibility_problems
from personnel.models import Employee, SecurityRole
from portal.testing import PASSWORD, add_member, make_company, make_user
from training.models import Course
from training.programme import seed_company

PEOPLE = (("Ana", "Ruiz"), ("Luis", "Gómez"), ("Eva", "Luna"))
COURSE = "Threat awareness and reporting incidents"


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def matrix_states(page: Page) -> list[str]:
    cells = page.get_by_test_id("training-matrix").locator("[data-state]")
    return [cells.nth(i).get_attribute("data-state") or "" for i in range(cells.count())]


@pytest.mark.django_db(transaction=True)
def test_a_session_with_three_attendees_turns_the_matrix_green(
    page: Page, live_server: Any
) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("coordinator@acme.test"), "admin")
    seed_company(company)
    guard = SecurityRole.objects.get(company=company, code="guard")
    for first, last in PEOPLE:
        Employee.objects.create(company=company, first_name=first, last_name=last).roles.set(
            [guard]
        )
    course = Course.objects.get(company=company, code="threat_awareness")
    matrix_url = f"/companies/{company.pk}/training/matrix/?course={course.pk}"

    sign_in(page, "coordinator@acme.test")
    page.goto(matrix_url)
    expect(page.get_by_test_id("training-matrix").locator("tbody tr")).to_have_count(3)
    assert matrix_states(page) == ["missing"] * 3

    page.goto(f"/companies/{company.pk}/training/sessions/new/")
    page.get_by_label("Course").select_option(label=COURSE)
    page.get_by_label("Trainer").fill("Rosa Soto, security coordinator")
    page.get_by_label("Topics covered").fill("Threats to the supply chain; how to report to CBP")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)

    form = page.get_by_test_id("attendance-form")
    box = form.get_by_label("Attendees", exact=True)
    for first, last in PEOPLE:
        box.fill(first)
        form.get_by_role("button", name=f"{first} {last} ★").click()
        expect(form.get_by_role("button", name=f"Remove {first} {last} ★")).to_be_visible()
    form.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("3 attendees recorded.")).to_be_visible()
    expect(page.get_by_test_id("attendees").locator("tbody tr")).to_have_count(3)

    page.goto(matrix_url)
    done = page.get_by_test_id("training-matrix").locator('[data-state="done"]')
    expect(done).to_have_count(3)
    assert matrix_states(page) == ["done"] * 3
    page.screenshot(path=artifact_path("training-matrix-green.png"), full_page=True)
    assert serious_accessibility_problems(page) == []

    page.goto(f"/companies/{company.pk}/training/")
    expect(page.get_by_test_id("completion-chart")).to_contain_text("100% (3/3)")
    page.screenshot(path=artifact_path("training-dashboard.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
