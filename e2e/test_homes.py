"""The home each role lands on after signing in, driven in Chromium.

Each journey starts at the sign-in (or the bare address) and finds the next step on the
home page without typing any other address: a new member is led to the eligibility check,
a consultant with two clients finds the overdue corrective action in the portfolio and
keeps the section when switching clients, an inspector on a 390×844 phone in Spanish
starts an inspection. Every home page passes axe-core with no violation at all.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, ViewportSize, expect

from e2e.conftest import artifact_path, sign_in

PHONE: ViewportSize = {"width": 390, "height": 844}


def axe_violations(page: Page) -> list[str]:
    """Every axe-core violation, whatever its impact (the homes are held to zero)."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text("utf-8")
    page.evaluate(script)
    result: dict[str, Any] = page.evaluate("axe.run()")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def _session_page(browser: Browser, base_url: str, user: Any, **options: Any) -> Page:
    """A browser signed in as `user` (with the second factor, as core.testing.sign_in)."""
    from core.testing import sign_in as session_sign_in

    client = Client()
    session_sign_in(client, user)
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(20_000)
    cookies = [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base_url,
        }
    ]
    if options.get("locale", "").startswith("es"):
        cookies.append({"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": base_url})
    context.add_cookies(cookies)  # type: ignore[arg-type]
    return context.new_page()


@pytest.mark.django_db(transaction=True)
def test_a_new_member_is_led_from_the_home_to_the_next_step(page: Page, broken: list[str]) -> None:
    from core.testing import add_member, make_company, make_user

    company = make_company("Harbor Goods Inc")
    add_member(company, make_user("kim@harbor.test"), "admin")

    sign_in(page, "kim@harbor.test")  # signing in lands on the home
    expect(page).to_have_url(re.compile(r"/$"))
    next_step = page.get_by_test_id("next-step")
    expect(next_step).to_contain_text("Eligibility")
    expect(page.get_by_test_id("program-path")).to_contain_text("Annual review")
    page.screenshot(path=artifact_path("home-member.png"), full_page=True)
    assert axe_violations(page) == []
    next_step.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/companies/{company.pk}/eligibility/"))
    # The menu marks the section being read.
    expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_text("Eligibility")
    assert broken == []


@pytest.mark.django_db(transaction=True)
def test_a_consultant_finds_an_overdue_action_across_two_clients(
    page: Page, broken: list[str]
) -> None:
    from actions.models import CorrectiveAction
    from core.testing import add_member, make_company, make_user

    consultant = make_user("elena@consult.test")
    acme = make_company("Acme Imports LLC")
    norte = make_company(
        "Transportes del Norte SA de CV",
        business_type="highway_carrier",
        business_subtype="us_mexico",
        country="MX",
    )
    for company in (acme, norte):
        add_member(company, consultant, "consultant")
    add_member(norte, make_user("maria@norte.test"), "admin")
    CorrectiveAction.objects.create(
        company=norte,
        title="Replace the yard fence lock",
        status="open",
        due_date=datetime.date.today() - datetime.timedelta(days=4),
    )

    sign_in(page, "elena@consult.test")
    expect(page).to_have_url(re.compile(r"/$"))
    portfolio = page.get_by_test_id("portfolio")
    expect(portfolio).to_contain_text("Acme Imports LLC")
    # Overdue work first: Norte leads, with its one overdue action.
    first = portfolio.locator("tbody tr").first
    expect(first).to_contain_text("Transportes del Norte")
    page.screenshot(path=artifact_path("home-consultant.png"), full_page=True)
    assert axe_violations(page) == []
    first.get_by_role("link", name="1").click()
    expect(page.get_by_text("Replace the yard fence lock")).to_be_visible()

    # Switching clients keeps the section (corrective actions).
    page.get_by_test_id("company-switcher").click()
    page.locator("details.switcher").first.get_by_role("link", name="Acme Imports LLC").click()
    expect(page).to_have_url(re.compile(rf"/companies/{acme.pk}/actions/"))
    expect(page.get_by_test_id("company-switcher")).to_have_text("Acme Imports LLC")
    page.screenshot(path=artifact_path("consultant-switched.png"), full_page=True)
    assert broken == []


@pytest.mark.django_db(transaction=True)
def test_an_inspector_starts_an_inspection_from_the_home_on_a_phone(
    browser: Browser, live_server: Any
) -> None:
    from core.testing import add_member, make_company, make_user
    from personnel.models import Employee, SecurityRole
    from seals import workflow as seals
    from seals.models import Seal

    company = make_company(
        "Transportes del Norte SA de CV",
        business_type="highway_carrier",
        business_subtype="us_mexico",
        country="MX",
        language="es",
    )
    inspector = make_user("luis@norte.test")
    officer = make_user("maria@norte.test")
    add_member(company, inspector, "user")
    add_member(company, officer, "admin")
    role = SecurityRole.objects.create(
        company=company, code="inspector", name_en="Inspector", name_es="Inspector"
    )
    employee = Employee.objects.create(
        company=company, first_name="Luis", last_name="Pérez", email="luis@norte.test"
    )
    employee.roles.add(role)
    seals.receive_range(
        company,
        numbers=seals.range_numbers("TFB", 1001, 1002, 7),
        manufacturer="TydenBrooks",
        iso_class="H",
        certificate_ref="ISO17712:2013 H, cert 778",
        storage_location="Caseta 1",
        by=officer,
    )
    seals.issue(Seal.objects.get(number="TFB0001001"), to="Luis Pérez", by=officer)

    page = _session_page(
        browser, live_server.url, inspector, locale="es-MX", viewport=PHONE, is_mobile=True,
        has_touch=True,
    )  # fmt: skip
    page.goto("/")
    start = page.get_by_test_id("next-step")
    expect(start).to_contain_text("Iniciar una inspección")
    expect(page.get_by_text("TFB0001001")).to_be_visible()  # today's seals
    page.screenshot(path=artifact_path("home-field-es.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the home is {width} px wide"
    header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    assert header <= 64, f"the header is {header} px tall"
    assert axe_violations(page) == []
    # The folded menu still opens on a tap and shows the areas.
    menu = page.get_by_role("button", name="Menú")
    menu.click()
    expect(page.get_by_role("link", name="Sellos", exact=True)).to_be_visible()
    page.screenshot(path=artifact_path("home-field-es-menu.png"), full_page=True)
    menu.click()
    start.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/companies/{company.pk}/inspections/new/"))
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_other_homes_pass_axe(browser: Browser, live_server: Any) -> None:
    from core.testing import add_member, make_company, make_user

    company = make_company("Harbor Goods Inc")
    viewer = make_user("owen@harbor.test")
    add_member(company, viewer, "viewer")
    people = {
        "viewer": viewer,
        "specialist": make_user("tom@cbp.test", program_role="specialist", mfa=True),
        "newcomer": make_user("new@nowhere.test"),
    }
    expected = {
        "viewer": "Readiness",
        "specialist": "dashboard",
        "newcomer": "Create your company",
    }
    for name, user in people.items():
        viewport: ViewportSize = {"width": 1280, "height": 900}
        page = _session_page(browser, live_server.url, user, viewport=viewport)
        page.goto("/")
        expect(page.locator("main")).to_contain_text(expected[name])
        page.screenshot(path=artifact_path(f"home-{name}.png"), full_page=True)
        assert axe_violations(page) == [], name
        page.context.close()
