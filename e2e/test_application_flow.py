"""A newcomer's whole path to a submitted CTPAT application, in a real browser.

Sign up, confirm the e-mail, create the company as its company officer, set up the
mandatory authenticator app, pass the eligibility wizard, describe the company through
the companies pages (reached from the application's checklist), and sign the partner
agreement with the MFA re-check. Everything goes through the pages a person would use.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import Authenticator, artifact_path, fresh_totp_code, totp_code

EMAIL = "maria.lopez@acme-imports.test"
PASSWORD = "Tr4ilers-and-Seals-2026"
COMPANY = "Acme Imports LLC"
SIGNER = "María Fernanda López Ruiz"


def sign_up(page: Page) -> None:
    page.goto("/accounts/signup/")
    # allauth's sign-up form has placeholders, not labels; its field names are stable.
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text(EMAIL).first).to_be_visible()


def confirm_email(page: Page, outbox: list[Any]) -> None:
    """Follow the link in the confirmation e-mail: MFA can only be added once it is done."""
    assert len(outbox) == 1, [m.subject for m in outbox]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", outbox[0].body)
    assert link, outbox[0].body
    page.goto(link[0])
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"You have confirmed {EMAIL}")).to_be_visible()


def create_company_as_officer(page: Page) -> int:
    """Create the company; an officer without MFA lands on the set-up page. Returns its pk."""
    page.goto("/companies/new/")
    page.get_by_label("Legal name").fill(COMPANY)
    page.get_by_label("Business entity type").select_option("importer")
    page.get_by_label("Country of headquarters").select_option("US")
    page.get_by_label("Your role in this company").select_option("officer")
    page.get_by_role("button", name="Create company").click()
    expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in page.url:
        # A sign-up session counts as no recent sign-in: adding MFA asks for the password.
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    next_url = parse_qs(urlparse(page.url).query)["next"][0]
    match = re.fullmatch(r"/companies/(\d+)/", next_url)
    assert match, f"expected to be sent back to the new company's page, not {next_url}"
    return int(match[1])


def set_up_totp(page: Page) -> Authenticator:
    """Read the secret from the set-up page, as a phone app would scan it, and confirm it."""
    # The portal's set-up page shows the key as text (data-testid="totp-secret");
    # allauth's stock page shows it in a read-only field. Either is what a person types.
    shown = page.get_by_test_id("totp-secret").or_(page.get_by_label("Authenticator secret"))
    is_field = shown.evaluate("element => element.tagName === 'INPUT'")
    secret = (shown.input_value() if is_field else shown.inner_text()).strip()
    # Activation only checks the code; it does not spend it, so a sign-in or re-check in
    # the same 30 seconds may use it again and the Authenticator need not remember it.
    page.get_by_label("Authenticator code").fill(fresh_totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    return Authenticator(secret)


def pass_eligibility_wizard(page: Page, company_pk: int) -> None:
    """Run the wizard from the company's overview, meeting every requirement of the type."""
    from eligibility.workflow import applicable_questions

    page.goto(f"/companies/{company_pk}/")
    page.get_by_role("link", name="Check eligibility").click()
    # Step 1 shows the business type given at creation; confirming it moves on.
    expect(page.get_by_label("Business entity type")).to_have_value("importer")
    page.get_by_role("button", name="Next: the questions").click()
    # Step 2: each question is a group named by its text; the question file says which
    # answer meets the requirement (for the CBP-debt question that is "No").
    questions = applicable_questions("importer", "", "US")
    assert questions, "the question file has no question for U.S. importers"
    for question in questions:
        group = page.get_by_role("group", name=question.localized("text", "en"), exact=True)
        answer = "Yes" if question.qualifying_answer == "yes" else "No"
        group.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="See the result").click()
    verdict = page.get_by_test_id("eligibility-verdict")
    expect(verdict).to_contain_text("qualifies")
    expect(verdict).not_to_contain_text("does not qualify")
    page.screenshot(path=artifact_path("eligibility-result.png"), full_page=True)


def fix(page: Page, company_pk: int, item: str) -> None:
    """Open the application's checklist and follow the "Fix" link of one item."""
    page.goto(f"/companies/{company_pk}/application/")
    page.get_by_test_id(f"checklist-{item}").get_by_role("link", name="Fix").click()


def describe_scope_of_business(page: Page, company_pk: int) -> None:
    fix(page, company_pk, "scope")
    page.get_by_label("Commodities handled").fill("Auto parts, machinery")
    page.get_by_label("Countries of origin").select_option(["CN", "MX"])
    page.get_by_label("Ocean", exact=True).check()
    page.get_by_label("Truck", exact=True).check()
    page.get_by_label("Shipments per year").fill("1200")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Company details saved.")).to_be_visible()


def add_headquarters(page: Page, company_pk: int) -> None:
    fix(page, company_pk, "headquarters")
    page.get_by_label("Type").select_option("headquarters")
    page.get_by_label("Street").fill("1200 Harbor Blvd")
    page.get_by_label("City").fill("Long Beach")
    page.get_by_label("State / province").fill("CA")
    page.get_by_label("Postal code").fill("90802")
    page.get_by_label("Country").select_option("US")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_test_id("address-table")).to_contain_text("Headquarters: 1200 Harbor Blvd")


def add_key_contacts(page: Page, company_pk: int) -> None:
    fix(page, company_pk, "contact_security")
    for kind, name, title in (
        ("security", "Jorge Ramírez", "Security Manager"),
        ("officer", SIGNER, "Chief Operating Officer"),
        ("senior_management", "Ana Torres", "Chief Executive Officer"),
    ):
        page.get_by_label("Type").select_option(kind)
        page.get_by_label("Name").fill(name)
        page.get_by_label("Title").fill(title)
        page.get_by_label("E-mail").fill(f"{kind}@acme-imports.test")
        page.get_by_role("button", name="Add").click()
        expect(page.get_by_test_id("contact-table")).to_contain_text(name)


def add_identifiers(page: Page, company_pk: int) -> None:
    """An importer needs its Importer of Record number and its CBP bond number."""
    fix(page, company_pk, "identifiers")
    table = page.get_by_test_id("identifier-table")
    page.get_by_label("Type").select_option("ior")
    page.get_by_label("Value").fill("12 3456789 00")  # typed loosely, stored canonically
    page.get_by_role("button", name="Add").click()
    expect(table).to_contain_text("Importer of Record (IOR) number 12-345678900")
    page.get_by_label("Type").select_option("bond")
    page.get_by_label("Value").fill("123456789")
    page.get_by_role("button", name="Add").click()
    expect(table).to_contain_text("CBP bond number 123456789")


def sign_partner_agreement(page: Page, company_pk: int, authenticator: Authenticator) -> None:
    page.goto(f"/companies/{company_pk}/application/")
    page.get_by_role("link", name="Read and sign the partner agreement").click()
    # Signing asks for a fresh authenticator code even though the session is signed in.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    page.locator("input[name=code]").fill(authenticator.code())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("agreement-text")).to_be_visible()
    page.get_by_label("Your full name").fill(SIGNER)
    page.get_by_label("Your title").fill("Chief Operating Officer")
    page.get_by_label("I have read this agreement").check()
    page.get_by_role("button", name="Sign and submit the application").click()


@pytest.mark.django_db(transaction=True)
def test_a_new_company_officer_applies_and_signs_the_partner_agreement(
    page: Page, live_server: Any, mailoutbox: list[Any], broken: list[str]
) -> None:
    sign_up(page)
    confirm_email(page, mailoutbox)
    company_pk = create_company_as_officer(page)
    authenticator = set_up_totp(page)
    pass_eligibility_wizard(page, company_pk)

    describe_scope_of_business(page, company_pk)
    add_headquarters(page, company_pk)
    add_key_contacts(page, company_pk)
    add_identifiers(page, company_pk)

    page.goto(f"/companies/{company_pk}/application/")
    expect(page.get_by_test_id("application-status")).to_have_text("Draft")
    expect(page.get_by_test_id("checklist")).not_to_contain_text("missing")
    page.screenshot(path=artifact_path("application-draft.png"), full_page=True)
    sign_partner_agreement(page, company_pk, authenticator)

    expect(page).to_have_url(re.compile(rf"/companies/{company_pk}/application/$"))
    expect(page.get_by_test_id("application-status")).to_have_text("Submitted")
    expect(page.get_by_test_id("signature")).to_contain_text(SIGNER)
    page.screenshot(path=artifact_path("application-submitted.png"), full_page=True)
    assert not broken, "failed requests or script errors on the way:\n" + "\n".join(
        sorted(set(broken))
    )


def test_the_code_helper_gives_the_rfc_6238_test_vectors() -> None:
    # RFC 6238 appendix B, SHA-1 key "12345678901234567890", last 6 of the 8 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"
    assert totp_code(secret, at=2000000000) == "279037"
