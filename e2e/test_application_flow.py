"""A newcomer's whole path to a submitted CTPAT application, in a real browser."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import Authenticator, artifact_path, totp_code

EMAIL = "maria.lopez@acme-imports.test"
PASSWORD = "Tr4ilers-and-Seals-2026"
COMPANY = "Acme Imports LLC"


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
    secret = page.get_by_label("Authenticator secret").input_value()
    authenticator = Authenticator(secret)
    page.get_by_label("Authenticator code").fill(authenticator.code())
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    return authenticator


@pytest.mark.django_db(transaction=True)
def test_a_new_company_officer_applies_and_signs_the_partner_agreement(
    page: Page, live_server: Any, mailoutbox: list[Any]
) -> None:
    sign_up(page)
    confirm_email(page, mailoutbox)
    company_pk = create_company_as_officer(page)
    set_up_totp(page)

    page.goto(f"/companies/{company_pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
    page.screenshot(path=artifact_path("company-overview.png"), full_page=True)


def test_the_code_helper_gives_the_rfc_6238_test_vectors() -> None:
    # RFC 6238 appendix B, SHA-1 key "12345678901234567890", last 6 of the 8 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"
    assert totp_code(secret, at=2000000000) == "279037"
