"""The program office certifies and validates an applicant, in a real browser.

A specialist (signed in with the authenticator code) takes the application from the
queue, starts the review, runs the list screening and records the vetting, rejects one
criterion of the security profile; the company officer answers it from the workspace and
sends the response; the specialist sees "member responded", accepts, certifies, plans the
validation and fills the worksheet; a supervisor (a different user: maker-checker)
approves the report; the specialist closes the validation. The officer then sees tier 2
on the company's status page, and a member that monitors the company through status
verification gets the notice and the e-mail.

What the flow does not need to click through (the company, its submitted application,
the monitoring agreement) is seeded in the database.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator as MFAAuthenticator
from allauth.mfa.utils import decrypt
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
from certification import workflow
from certification.models import Certification
from certification.tests.factories import load_real_dpl
from companies.models import Contact
from e2e.conftest import (
    TIMEOUT_MS,
    Authenticator,
    artifact_path,
    docs_screenshot,
    serious_accessibility_problems,
)
from portal.testing import PASSWORD, add_member, make_company, make_user
from profiles.tests.factories import load_msc
from verification.models import Consent, MonitoringRequest, StatusNotice

COMPANY = "Acme Imports LLC"
PARTNER = "Great Lakes Freight Inc"


def authenticator_of(user: User) -> Authenticator:
    secret = decrypt(MFAAuthenticator.objects.get(user=user, type="totp").data["secret"])
    return Authenticator(str(secret))


# Failed requests and script errors met in any window (a page that looks fine may still
# have lost a fragment or its stylesheet).
BROKEN: list[str] = []
CONTEXTS: list[BrowserContext] = []


def signed_in(browser: Browser, base_url: str, user: User) -> Page:
    """A browser window of its own for one person, signed in (with the code if the
    person has an authenticator)."""
    context: BrowserContext = browser.new_context(
        base_url=base_url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.on(
        "response",
        lambda r: (
            BROKEN.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    context.on("weberror", lambda error: BROKEN.append(f"script error: {error.error}"))
    CONTEXTS.append(context)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if MFAAuthenticator.objects.filter(user=user, type="totp").exists():
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.locator("input[name=code]").fill(authenticator_of(user).code())
        page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    return page


def step(page: Page, label: str, reason: str = "") -> None:
    """Take a lifecycle step with its own button (the tab shows only the allowed ones)."""
    form = (
        page.get_by_test_id("steps")
        .locator("form")
        .filter(has=page.get_by_role("button", name=label, exact=True))
    )
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    form.get_by_role("button", name=label, exact=True).click()


def accessibility_violations(page: Page) -> list[str]:
    """Every axe-core violation (any impact) on the page as it is now."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text("utf-8")
    page.evaluate(script)
    result: dict[str, Any] = page.evaluate("axe.run()")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} ({len(v['nodes'])})" for v in result["violations"]
    ]


def record_vetting(page: Page, item: str, note: str = "") -> None:
    form = page.get_by_test_id("vetting-form")
    form.locator("select[name=item]").select_option(label=item)
    form.locator("select[name=outcome]").select_option("passed")
    form.locator("input[name=note]").fill(note)
    form.get_by_role("button", name="Record").click()


@pytest.fixture(autouse=True)
def _close_windows() -> Any:
    BROKEN.clear()
    yield
    while CONTEXTS:
        CONTEXTS.pop().close()


@pytest.mark.django_db(transaction=True)
def test_specialist_certifies_supervisor_approves_member_and_monitor_see_the_tier(
    browser: Browser, live_server: Any, mailoutbox: list[Any], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    catalogue = load_msc()
    load_real_dpl()  # the active list version the vetting screens against
    criterion = catalogue.criteria.get(ref_id="3.1")
    company = make_company(COMPANY)
    officer = make_user("dana.price@acme-imports.test", mfa=True)
    add_member(company, officer, "officer")
    Contact.objects.create(company=company, kind="officer", name="Dana Price", email=officer.email)
    specialist = make_user("sam.ortiz@cbp.test", program_role="specialist", mfa=True)
    supervisor = make_user("lee.chen@cbp.test", program_role="supervisor", mfa=True)
    # The application was submitted (the officer's signature applies the account).
    certification = workflow.certification_for(company)
    workflow.perform("apply", certification, by=officer)
    # A member that monitors Acme through status verification, accepted by Acme.
    partner = make_company(PARTNER)
    partner_admin = make_user("ops@greatlakes.test")
    add_member(partner, partner_admin, "admin")
    Consent.objects.create(
        company=company,
        signed_by=officer,
        signer_name="Dana Price",
        signer_title="COO",
        signed_at=timezone.now(),
    )
    MonitoringRequest.objects.create(
        requester=partner,
        partner=company,
        status=MonitoringRequest.Status.ACCEPTED,
        requested_by=partner_admin,
    )

    # The specialist takes the application, starts the review, vets and rejects 3.1.
    office = signed_in(browser, live_server.url, specialist)
    office.locator("nav.main-nav summary", has_text="Program office").click()
    office.get_by_role("link", name="Review queue").click()
    office.get_by_role("link", name=COMPANY).click()
    expect(office.get_by_test_id("steps")).not_to_contain_text("Suspend")  # not on "Applied"
    office.get_by_test_id("assign-form").get_by_role("button", name="Assign to me").click()
    expect(office.get_by_test_id("assigned-specialist")).to_have_text(specialist.email)
    step(office, "Start the review")
    expect(office.get_by_test_id("account-status")).to_contain_text("Under review")
    expect(office.get_by_test_id("clock-certification")).to_contain_text("Certify by")
    office.get_by_test_id("tab-vetting").click()
    office.get_by_test_id("run-screening").click()
    expect(office.get_by_text(re.compile(r"List screening done: \d of 2 names"))).to_be_visible()
    expect(office.get_by_test_id("screening-results")).to_contain_text("Dana Price")
    for item in (
        "Business identifiers",
        "Customs bonds",
        "Unpaid debt to CBP",
        "Open-source research",
        "Sanctions and denied-party list screening",
    ):
        record_vetting(office, item, "Checked.")
    office.get_by_test_id("tab-review").click()
    card = office.get_by_test_id("review-3.1")
    card.get_by_label("Comment (required to reject) on 3.1").fill(
        "Say how often partners are screened."
    )
    card.get_by_role("button", name="Reject 3.1").click()
    expect(office.get_by_test_id("review-3.1")).to_contain_text("awaiting the member")
    expect(office.get_by_test_id("review-counts")).to_contain_text("1 rejected")  # out of band
    office.get_by_test_id("filter-rejected").click()
    expect(office.locator("article.criterion-row")).to_have_count(1)
    office.screenshot(path=str(artifact_path("case-profile-review.png")), full_page=True)
    assert criterion.ref_id == "3.1"

    # The officer answers from the workspace and sends the response back.
    member = signed_in(browser, live_server.url, officer)
    member.goto(f"/companies/{company.pk}/application/")
    member.get_by_test_id("member-certification-link").click()
    expect(member.get_by_text("1 rejected criterion waits for your answer.")).to_be_visible()
    member.get_by_role("link", name="Profile review").click()
    row = member.get_by_test_id("review-3.1")
    expect(row).to_contain_text("Say how often partners are screened.")
    row.locator("textarea[name=note]").fill("Every partner is screened monthly; see 3.1.")
    row.get_by_role("button", name="Save note").click()
    expect(member.get_by_test_id("review-3.1")).to_contain_text("saved")
    member.get_by_test_id("send-response").click()
    expect(member.get_by_text("Response sent to the program office")).to_be_visible()

    # The queue shows the answer; the specialist accepts, certifies and plans the visit.
    office.goto("/program-office/")
    expect(office.get_by_test_id("member-responded")).to_be_visible()
    office.screenshot(path=str(docs_screenshot("program-office-queue.png")), full_page=True)
    office.get_by_role("link", name=COMPANY).first.click()
    expect(office.get_by_test_id("review-3.1")).to_contain_text("member responded")
    office.get_by_test_id("review-3.1").get_by_role("button", name="Accept 3.1").click()
    expect(office.get_by_test_id("review-3.1")).to_contain_text("Accepted")
    step(office, "Certify (tier 1)")
    expect(office.get_by_test_id("account-status")).to_contain_text("tier 1")

    office.get_by_test_id("tab-validation").click()
    expect(office.get_by_test_id("clock-validation")).to_contain_text("Validation due (1 year)")
    plan = office.get_by_test_id("report-form")
    plan.get_by_label("Planned start").fill("2026-12-01")
    plan.get_by_label("Planned end").fill("2026-12-02")
    plan.get_by_label("Sites visited").fill("Long Beach warehouse")
    plan.get_by_label("Executive summary").fill("Visit planned.")
    plan.get_by_test_id("plan-validation").click()
    expect(office.get_by_text("Validation planned; record the worksheet.")).to_be_visible()
    first = office.get_by_test_id("ws-1.1")
    first.locator("select[name$=observation]").select_option("observed")
    first.locator("select[name$=finding]").select_option("recommendation")
    first.locator("textarea[name$=note]").fill("Publish the security statement in Spanish.")
    first.get_by_role("button", name="Save 1.1").click()
    expect(office.get_by_test_id("ws-1.1")).to_contain_text("saved")
    expect(office.get_by_test_id("worksheet-counts")).to_contain_text("1 of")  # out of band
    expect(office.get_by_test_id("ws-3.1")).to_contain_text("accepted in review")
    office.keyboard.press("j")
    expect(office.get_by_test_id("ws-1.1")).to_be_focused()
    office.keyboard.press("j")
    expect(office.get_by_test_id("ws-1.2")).to_be_focused()
    problems = accessibility_violations(office)
    office.screenshot(path=str(artifact_path("case-worksheet.png")))
    assert problems == [], problems
    office.get_by_label("Executive summary").fill("The Long Beach warehouse meets the MSC.")
    office.get_by_test_id("submit-worksheet").click()
    expect(office.get_by_text("Report submitted for supervisor approval.")).to_be_visible()

    # A supervisor, not the author, approves the report.
    checker = signed_in(browser, live_server.url, supervisor)
    checker.goto("/program-office/")
    checker.get_by_role("link", name=COMPANY).first.click()
    assert serious_accessibility_problems(checker) == []
    checker.screenshot(path=str(artifact_path("case-validation-supervisor.png")), full_page=True)
    checker.get_by_test_id("decide-form").get_by_role("button", name="Approve the report").click()
    expect(checker.get_by_text("Publish the security statement in Spanish.")).to_be_visible()

    # The specialist closes the validation: tier 2.
    office.reload()
    step(office, "Close the validation")
    expect(office.get_by_test_id("account-status")).to_contain_text("tier 2")
    certification = Certification.objects.get(company=company)
    assert (certification.status, certification.tier) == ("validated", 2)
    kinds = list(certification.events.values_list("transition", "actor__email"))
    assert kinds[-1] == ("validate", specialist.email), kinds

    # The member sees the tier change on its status page and the company overview.
    member.goto(f"/companies/{company.pk}/certification/")
    expect(member.get_by_test_id("member-tier")).to_have_text("tier 2")
    member.goto(f"/companies/{company.pk}/")
    expect(member.get_by_test_id("company-ctpat-status")).to_have_text("Validated — tier 2")
    member.goto(f"/companies/{company.pk}/certification/")
    expect(member.get_by_text("Publish the security statement in Spanish.")).to_be_visible()
    # ... on its home page, and in its inbox (the header's link, no URL typed).
    member.goto("/")
    expect(member.get_by_test_id("home-status")).to_have_text("Validated")
    expect(member.locator("main p", has_text="Tier 2").first).to_be_visible()
    member.get_by_test_id("header-inbox").click()
    expect(
        member.get_by_text(f"Validation closed: {COMPANY} is certified at tier 2")
    ).to_be_visible()
    assert serious_accessibility_problems(member) == []
    member.screenshot(path=artifact_path("program-office-member-inbox.png"), full_page=True)

    # The monitoring partner got the notice and the e-mail.
    monitor = signed_in(browser, live_server.url, partner_admin)
    monitor.goto(f"/verification/companies/{partner.pk}/")
    expect(monitor.get_by_text(f"{COMPANY}: validated, tier 2")).to_be_visible()
    assert StatusNotice.objects.filter(company=partner, status="validated", tier=2).exists()
    subjects = [m.subject for m in mailoutbox if partner_admin.email in m.to]
    assert any(COMPANY in s for s in subjects), subjects
    monitor.screenshot(path=artifact_path("program-office-monitor.png"), full_page=True)

    # The program office's dashboard: the case left the review states, nothing waits.
    checker.goto("/program-office/dashboard/")
    expect(checker.get_by_test_id("state-validated")).to_have_text("1")
    expect(checker.get_by_test_id("reports-awaiting")).to_contain_text("None.")
    assert serious_accessibility_problems(checker) == []
    checker.screenshot(path=str(artifact_path("program-office-dashboard.png")), full_page=True)
    assert not BROKEN, "failed requests or script errors on the way:\n" + "\n".join(BROKEN)
