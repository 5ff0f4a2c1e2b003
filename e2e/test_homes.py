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
    """A browser signed in as `user` (with the second factor, as portal.testing.sign_in)."""
    from portal.testing import sign_in as session_sign_in

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
    from portal.testing import add_member, make_company, make_user

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
    from portal.testing import add_member, make_company, make_user

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
    from personnel.models import Employee, SecurityRole
    from portal.testing import add_member, make_company, make_user
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
    from portal.testing import add_member, make_company, make_user

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


def _home(page: Page) -> Any:
    """Back to the home through the header's brand link; the next step it shows."""
    page.locator("a.brand").click()
    expect(page).to_have_url(re.compile(r"/$"))
    return page.get_by_test_id("next-step")


@pytest.mark.django_db(transaction=True)
def test_a_new_importer_goes_from_sign_up_to_a_submitted_profile_led_by_the_home(
    page: Page,
    live_server: Any,
    mailoutbox: list[Any],
    broken: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every step is found on the home page: the test types no address after the sign-up
    page (the e-mail's confirmation link is followed as a person would)."""
    from e2e import test_application_flow as flow
    from eligibility.workflow import applicable_questions
    from profiles.models import Submission
    from profiles.tests.factories import load_msc

    load_msc()
    flow.sign_up(page)
    flow.confirm_email(page, mailoutbox)

    # No company yet: the home offers to create it; an officer must then set up TOTP.
    next_step = _home(page)
    expect(next_step).to_contain_text("Create your company")
    page.screenshot(path=artifact_path("journey-1-no-company.png"), full_page=True)
    next_step.get_by_role("link", name="Create your company").click()
    page.get_by_label("Legal name").fill(flow.COMPANY)
    page.get_by_label("Business entity type").select_option("importer")
    page.get_by_label("Country of headquarters").select_option("US")
    page.get_by_label("Truck", exact=True).check()
    page.get_by_label("Your role in this company").select_option("officer")
    page.get_by_role("button", name="Create company").click()
    expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(flow.PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    authenticator = flow.set_up_totp(page)

    # Eligibility, from the home.
    next_step = _home(page)
    expect(next_step).to_contain_text("Eligibility")
    page.screenshot(path=artifact_path("journey-2-eligibility.png"), full_page=True)
    assert axe_violations(page) == []
    next_step.get_by_role("link", name="Check eligibility").click()
    expect(page.get_by_label("Business entity type")).to_have_value("importer")
    page.get_by_role("button", name="Next: the questions").click()
    for question in applicable_questions("importer", "", "US"):
        group = page.get_by_role("group", name=question.localized("text", "en"), exact=True)
        answer = "Yes" if question.qualifying_answer == "yes" else "No"
        group.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="See the result").click()
    expect(page.get_by_test_id("eligibility-verdict")).to_contain_text("qualifies")

    # The application: its checklist's "Fix" links, then the officer signs.
    next_step = _home(page)
    expect(next_step).to_contain_text("Application")
    page.screenshot(path=artifact_path("journey-3-application.png"), full_page=True)
    next_step.get_by_role("link", name="Open the application").click()
    company_pk = int(re.findall(r"/companies/(\d+)/", page.url)[0])

    def fix_from_home(page: Page, company_pk: int, item: str) -> None:
        # The application's checklist item, reached from the home each time.
        _home(page).get_by_role("link", name="Open the application").click()
        page.get_by_test_id(f"checklist-{item}").get_by_role("link", name="Fix").click()

    monkeypatch.setattr(flow, "fix", fix_from_home)
    flow.describe_scope_of_business(page, company_pk)
    flow.add_headquarters(page, company_pk)
    flow.add_key_contacts(page, company_pk)
    flow.add_identifiers(page, company_pk)
    _home(page).get_by_role("link", name="Open the application").click()
    expect(page.get_by_test_id("checklist")).not_to_contain_text("missing")
    page.get_by_role("link", name="Read and sign the partner agreement").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    page.locator("input[name=code]").fill(authenticator.code())
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Your full name").fill(flow.SIGNER)
    page.get_by_label("Your title").fill("Chief Operating Officer")
    page.get_by_label("I have read this agreement").check()
    page.get_by_role("button", name="Sign and submit the application").click()
    expect(page.get_by_test_id("application-status")).to_have_text("Submitted")

    # The security profile: every criterion's status at once in the answers grid.
    next_step = _home(page)
    expect(next_step).to_contain_text("Security profile")
    page.screenshot(path=artifact_path("journey-4-profile.png"), full_page=True)
    next_step.get_by_role("link", name="Answer the criteria").click()
    # The profile started: the home's task list now says what waits, as ONE task for the
    # officer, which opens the grid on the unanswered criteria nobody owns.
    _home(page)
    tasks = page.get_by_test_id("my-tasks")
    expect(tasks).to_contain_text("Answer 96 criteria")
    page.screenshot(path=artifact_path("journey-4a-criteria-task.png"), full_page=True)
    tasks.get_by_role("link", name="Answer 96 criteria").click()
    expect(page).to_have_url(re.compile(r"/answers/\?status=unanswered&owner=none$"))
    grid = page.get_by_test_id("answers-grid")
    expect(grid.locator("tbody tr")).to_have_count(96)
    bulk = page.get_by_test_id("bulk-form")
    bulk.get_by_label("every criterion shown").check()
    bulk.get_by_label("Set status").select_option("implemented")
    page.get_by_test_id("bulk-apply").click()
    # 96 answers written in one request: a loaded machine may take longer than 5 s.
    expect(page.get_by_test_id("bulk-note")).to_have_text("96 answers changed.", timeout=30_000)
    page.screenshot(path=artifact_path("journey-4b-grid.png"), full_page=False)

    # Every criterion answered: the home sends the officer to submit.
    next_step = _home(page)
    expect(next_step).to_contain_text("the officer submits the profile")
    expect(page.get_by_test_id("home-readiness")).to_have_text("100 %")
    page.screenshot(path=artifact_path("journey-5-submit.png"), full_page=True)
    next_step.get_by_role("link", name="Review and submit the profile").click()
    page.get_by_role("link", name="Review and submit").click()
    # The re-check is asked unless the officer confirmed a code minutes ago (the agreement).
    expect(page).to_have_url(re.compile(r"/(accounts/2fa/reauthenticate|profile/submit)/"))
    if "/reauthenticate/" in page.url:
        page.locator("input[name=code]").fill(authenticator.code())
        page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Your full name").fill(flow.SIGNER)
    page.get_by_label("Your title").fill("Chief Operating Officer")
    page.get_by_label("I attest that this security profile is accurate").check()
    page.get_by_role("button", name="Sign and submit the profile").click()
    expect(page.get_by_text("Security profile submitted as submission 1.")).to_be_visible()

    # Submitted: the home now waits on the program office.
    next_step = _home(page)
    expect(next_step).to_contain_text("Program office review")
    expect(page.get_by_test_id("program-path")).to_contain_text("Submitted")
    page.screenshot(path=artifact_path("journey-6-submitted.png"), full_page=True)
    assert axe_violations(page) == []
    assert Submission.objects.filter(profile__company_id=company_pk).count() == 1
    assert not broken, "\n".join(sorted(set(broken)))


@pytest.mark.django_db(transaction=True)
def test_an_officer_finds_the_training_of_people_nobody_manages_as_one_task(
    browser: Browser, live_server: Any
) -> None:
    """The people without a manager make one task per course on the officer's task list,
    which opens the matrix of exactly those people; on a phone in Spanish too."""
    from portal.testing import add_member, make_company, make_user
    from training.tests import factories as f

    company = make_company("Harbor Goods Inc")
    officer = make_user("ines@harbor.test", mfa=True)
    add_member(company, officer, "officer")
    guard = f.role(company, "guard")
    course = f.course(
        company, "seals", roles=[guard], title_en="Seal handling", title_es="Manejo de sellos"
    )
    today = datetime.date.today()
    late = [f.employee(company, name, "Ruiz", roles=[guard]) for name in ("Ana", "Bea", "Ciro")]
    f.record(late[0], course, today - datetime.timedelta(days=400))  # overdue
    done = f.employee(company, "Dora", "Vega", roles=[guard])
    f.record(done, course, today - datetime.timedelta(days=10))
    f.employee(company, "Eva", "Luna", roles=[guard], manager_email="boss@harbor.test")

    page = _session_page(browser, live_server.url, officer, viewport={"width": 1280, "height": 900})
    page.goto("/me/tasks/")
    overdue = page.get_by_test_id("tasks-overdue")
    task = overdue.get_by_role("link", name="Training: Seal handling — 3 people due or overdue")
    expect(task).to_be_visible()
    expect(overdue).not_to_contain_text("Eva Luna")  # hers wait on her manager
    page.screenshot(path=artifact_path("tasks-training-group.png"), full_page=True)
    assert axe_violations(page) == []
    task.click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for name in ("Ana Ruiz", "Bea Ruiz", "Ciro Ruiz"):
        expect(page.locator("table tbody")).to_contain_text(name)
    expect(page.get_by_label("State")).to_have_value("open")
    expect(page.get_by_label("Manager")).to_have_value("none")
    page.screenshot(path=artifact_path("tasks-training-matrix.png"), full_page=True)
    assert axe_violations(page) == []
    page.context.close()

    phone = _session_page(browser, live_server.url, officer, viewport=PHONE, locale="es-MX")
    phone.goto("/me/tasks/")
    expect(phone.get_by_test_id("tasks-overdue")).to_contain_text(
        "Capacitación: Manejo de sellos — 3 personas por vencer o vencidas"
    )
    phone.screenshot(path=artifact_path("tasks-training-group-es-phone.png"), full_page=True)
    assert axe_violations(phone) == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    phone.context.close()
