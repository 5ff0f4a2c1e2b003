"""CTPAT Trade Compliance in a real browser: an eligible importer's officer answers the
internal-control questionnaire, attaches the last forced-labor evidence, signs with the
authenticator re-check; a specialist of the program office reviews and approves; the
officer finds the Annual Notification Letter in the task list and sends it.

Seeded in the database: the validated certification (tier 2) and five of the six
forced-labor evidence files; everything else goes through the pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator as MFAAuthenticator
from allauth.mfa.utils import decrypt
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
from certification.choices import State
from certification.tests.factories import certification_in
from e2e.conftest import TIMEOUT_MS, Authenticator, artifact_path, serious_accessibility_problems
from portal.testing import PASSWORD, add_member, make_company, make_user
from tradecompliance import workflow
from tradecompliance.catalogue import program
from tradecompliance.tests.factories import pdf

PDF_FILE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def authenticator_of(user: User) -> Authenticator:
    secret = decrypt(MFAAuthenticator.objects.get(user=user, type="totp").data["secret"])
    return Authenticator(str(secret))


def window(
    browser: Browser, base_url: str, user: User, codes: Authenticator, problems: list[str]
) -> tuple[BrowserContext, Page]:
    """A signed-in window of the person's own. `codes` is the person's one authenticator
    app, so a later re-check never reuses the code spent on signing in."""
    context = browser.new_context(
        base_url=base_url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    context.on("weberror", lambda error: problems.append(f"script error: {error.error}"))
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(codes.code())
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    return context, page


def look(page: Page, name: str) -> None:
    page.screenshot(path=artifact_path(name), full_page=True)
    assert serious_accessibility_problems(page) == [], name


@pytest.mark.django_db(transaction=True)
def test_importer_applies_office_approves_and_the_letter_is_sent(
    browser: Browser, live_server: Any, tmp_path: Any
) -> None:
    company = make_company("Acme Imports LLC")
    certification_in(State.VALIDATED, company, tier=2)
    officer = make_user("dana.price@acme-imports.test", mfa=True)
    add_member(company, officer, "officer")
    specialist = make_user("sam.ortiz@cbp.test", program_role="specialist", mfa=True)
    requirements = program().requirements
    for requirement in requirements[:-1]:
        workflow.attach_evidence(
            company, requirement.key, pdf(f"{requirement.key}.pdf"), by=officer
        )
    last = requirements[-1]
    problems: list[str] = []
    contexts: list[BrowserContext] = []
    try:
        officer_code = authenticator_of(officer)
        context, page = window(browser, live_server.url, officer, officer_code, problems)
        contexts.append(context)

        # The menu's Program group leads to the workspace, which says the company is eligible.
        page.locator("nav.main-nav summary", has_text="Program").first.click()
        page.get_by_role("link", name="Trade Compliance").click()
        expect(page.get_by_test_id("tc-eligibility")).to_contain_text("eligible")
        expect(page.get_by_test_id("tc-eligibility")).not_to_contain_text("not eligible")

        # The questionnaire: every question answered Yes.
        page.get_by_role("link", name="Answer the questionnaire").click()
        for question in program().questions:
            page.get_by_test_id(f"question-{question.key}").get_by_label("Yes", exact=True).check()
        look(page, "tc-questionnaire.png")
        page.get_by_role("button", name="Save answers").click()
        expect(page.get_by_test_id("tc-missing")).to_contain_text(last.title_en)

        # The last forced-labor requirement's evidence, through the upload page.
        page.get_by_test_id(f"requirement-{last.key}").get_by_role(
            "link", name="Add evidence"
        ).click()
        evidence = tmp_path / "best-practices.pdf"
        evidence.write_bytes(PDF_FILE)
        page.get_by_label("File").set_input_files(str(evidence))
        page.get_by_label("Note").fill("Shared with CBP at the 2026 seminar")
        page.get_by_role("button", name="Attach").click()
        expect(page.get_by_test_id(f"requirement-{last.key}")).to_contain_text("best-practices.pdf")
        expect(page.get_by_test_id("tc-ready")).to_be_visible()

        # The officer signs after the authenticator re-check.
        page.get_by_role("link", name="Sign and submit the application").click()
        expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
        page.locator("input[name=code]").fill(officer_code.code())
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_test_id("tc-statement")).to_contain_text("Annual Notification Letter")
        page.get_by_label("Your full name").fill("Dana Price")
        page.get_by_label("Your title").fill("Chief Operating Officer")
        page.get_by_label("I have read the statement above").check()
        look(page, "tc-sign.png")
        page.get_by_role("button", name="Sign and submit").click()
        expect(page.get_by_test_id("tc-status")).to_have_text("Submitted")
        look(page, "tc-submitted.png")

        # The program office reviews and approves.
        office_context, office = window(
            browser, live_server.url, specialist, authenticator_of(specialist), problems
        )
        contexts.append(office_context)
        office.locator("nav.main-nav summary", has_text="Program office").click()
        office.get_by_role("link", name="Trade Compliance").click()
        expect(office.get_by_test_id("tc-queue")).to_contain_text("Acme Imports LLC")
        look(office, "tc-office-list.png")
        office.get_by_test_id("tc-queue").get_by_role("link", name="Acme Imports LLC").click()
        office.get_by_role("button", name="Start the review").click()
        expect(office.get_by_test_id("tc-status")).to_have_text("Under review")
        office.get_by_label("Note to the company").fill("Welcome to Trade Compliance.")
        look(office, "tc-office-review.png")
        office.get_by_role("button", name="Approve the application").click()
        expect(office.get_by_test_id("tc-status")).to_have_text("Approved")

        # The officer's task list now holds the Annual Notification Letter.
        page.goto("/me/tasks/")
        task = page.get_by_role(
            "link", name=re.compile("Trade Compliance Annual Notification Letter")
        )
        expect(task).to_be_visible()
        look(page, "tc-tasks.png")
        task.click()
        expect(page.get_by_test_id("tc-anl-due")).to_contain_text("Membership year 1")
        page.get_by_label("The company still meets the requirements").check()
        page.get_by_label("Self-testing done this year").fill(
            "Tested classification of 40 entries and the valuation of related-party imports."
        )
        page.get_by_label("Your full name").fill("Dana Price")
        page.get_by_label("Your title").fill("Chief Operating Officer")
        look(page, "tc-anl.png")
        page.get_by_role("button", name="Send the letter").click()
        expect(page.get_by_test_id("tc-letters")).to_contain_text("Year 1: sent")
        expect(page.get_by_test_id("tc-next-letter")).to_contain_text("membership year 2")
        expect(page.get_by_test_id("tc-benefits")).to_contain_text(
            "Priority admissibility review of shipments detained on forced-labor grounds"
        )
        look(page, "tc-approved.png")
        assert problems == [], problems
    finally:
        for context in contexts:
            context.close()


@pytest.mark.django_db(transaction=True)
def test_the_workspace_in_spanish_on_a_phone(browser: Browser, live_server: Any) -> None:
    """A Mexican parent's compliance staff reads the workspace in Spanish on a phone: a
    tier 1 company is told why it is not eligible yet."""
    from e2e.conftest import phone_in_spanish

    company = make_company("Acme Imports LLC")
    certification_in(State.CERTIFIED, company)
    user = make_user("lucia.mendez@acme-imports.test")
    add_member(company, user, "user")
    context = phone_in_spanish(browser, live_server, user)
    try:
        page = context.new_page()
        page.goto(f"/companies/{company.pk}/trade-compliance/")
        eligibility = page.get_by_test_id("tc-eligibility")
        expect(eligibility).to_contain_text("no elegible")
        expect(eligibility).to_contain_text("aún no validada")
        expect(page.get_by_test_id("requirement-risk_mapping")).to_contain_text(
            "Mapeo de la cadena de suministro basado en riesgos"
        )
        look(page, "tc-overview-es-phone.png")
    finally:
        context.close()
