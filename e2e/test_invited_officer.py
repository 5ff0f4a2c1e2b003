"""An invited company officer, from the e-mail to a signed partner agreement, in a real
browser: the administrator invites them; the e-mailed link points at the address the
portal is served on; the officer, who has no account, chooses a password on the link's
page (which confirms the address), is led through the authenticator set-up, finds the
agreement from the company's pages and signs it. The used link then says so."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from applications.tests.factories import complete_company
from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from e2e.test_application_flow import set_up_totp
from eligibility.workflow import applicable_questions, run_check
from portal.testing import PASSWORD, add_member, make_company, make_user

OFFICER = "dana.price@acme.test"
SIGNER = "Dana Price"


@pytest.mark.django_db(transaction=True)
def test_an_invited_officer_goes_from_the_email_to_a_signed_agreement(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    admin = make_user("admin@acme.test")
    add_member(company, admin, "admin")
    complete_company(company)
    questions = applicable_questions("importer", "", "US")
    run_check(company, admin, answers={q.id: q.qualifying_answer for q in questions})

    sign_in(page, fresh=True, email="admin@acme.test")
    page.goto(f"/companies/{company.pk}/members/")
    page.get_by_label("E-mail address").fill(OFFICER)
    page.locator("form.card select[name=role]").select_option("officer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {OFFICER}.")).to_be_visible()

    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    # The link opens where the portal is served (the live server's port), not SITE_URL's.
    found = re.search(re.escape(live_server.url) + r"(/companies/invitations/[^/\s]+/)", body)
    assert found, body
    path = found.group(1)

    page.context.clear_cookies()
    page.goto(path)
    expect(page.get_by_test_id("join-form")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Acme Imports LLC")
    expect(page.locator("main")).to_contain_text("two-factor authentication")
    page.screenshot(path=artifact_path("invited-officer-join.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_test_id("join").click()

    # No e-mail confirmation step and no password prompt: straight to the authenticator.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/\?required=1"))
    page.screenshot(path=artifact_path("invited-officer-totp.png"), full_page=True)
    authenticator = set_up_totp(page)

    # From the home's next step, not a typed address, to the agreement.
    page.goto("/")
    page.get_by_test_id("next-step").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/application/"))
    page.get_by_role("link", name="Read and sign the partner agreement").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    page.locator("input[name=code]").fill(authenticator.code())
    page.get_by_role("button", name="Confirm").click()
    agreement = page.get_by_test_id("agreement-text")
    expect(agreement.locator("h2").first).to_be_visible()  # a document, not raw Markdown
    expect(agreement).not_to_contain_text("## ")
    page.screenshot(path=artifact_path("invited-officer-agreement.png"), full_page=False)
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Your full name").fill(SIGNER)
    page.get_by_label("Your title").fill("Chief Operating Officer")
    page.get_by_label("I have read this agreement").check()
    page.get_by_role("button", name="Sign and submit the application").click()

    expect(page.get_by_test_id("application-status")).to_have_text("Submitted")
    expect(page.get_by_test_id("signature")).to_contain_text(SIGNER)
    expect(page.get_by_test_id("snapshot")).to_contain_text("Ocean, Truck")
    expect(page.get_by_test_id("events")).to_contain_text("Draft → Submitted")
    page.screenshot(path=artifact_path("invited-officer-submitted.png"), full_page=True)
    assert serious_accessibility_problems(page) == []

    # The link worked once; opened again it says so.
    page.context.clear_cookies()
    response = page.goto(path)
    assert response is not None and response.status == 410
    expect(page.get_by_test_id("invitation-closed")).to_contain_text("already used")
    broken[:] = [b for b in broken if path not in b]
    assert broken == []
