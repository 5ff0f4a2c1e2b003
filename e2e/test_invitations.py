"""An administrator invites a colleague by e-mail; the colleague, who has no account yet,
opens the e-mailed link, chooses a password on its page and joins with the invited role,
in a real browser. Another account that opens
the same link is refused without learning the company."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from portal.testing import PASSWORD, add_member, make_company, make_user


@pytest.mark.django_db(transaction=True)
def test_invite_sign_up_and_accept(
    page: Page, context: BrowserContext, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("admin@acme.test"), "admin")
    make_user("someone@else.test")

    sign_in(page, fresh=True, email="admin@acme.test")
    page.goto(f"/companies/{company.pk}/members/")
    page.get_by_label("E-mail address").fill("Ana.Ruiz@Acme.test")
    page.locator("form.card select[name=role]").select_option("user")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to ana.ruiz@acme.test.")).to_be_visible()
    expect(page.get_by_test_id("invitations")).to_contain_text("ana.ruiz@acme.test")
    page.screenshot(path=artifact_path("invitations-members-page.png"), full_page=True)
    assert serious_accessibility_problems(page) == []

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+(/companies/invitations/[^/\s]+/)", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    path = link.group(1)

    # Someone else's account: refused, and the page names neither company nor address.
    sign_in(page, fresh=True, email="someone@else.test")
    page.goto(path)
    expect(page.get_by_test_id("invitation-refused")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Acme")
    expect(page.locator("main")).not_to_contain_text("ana.ruiz")
    page.screenshot(path=artifact_path("invitations-refused.png"), full_page=True)

    assert serious_accessibility_problems(page) == []

    # Signing out from there leads back to the link; the invited person has no account
    # yet and chooses a password right there (the link proved the address).
    page.locator("main").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("main")).to_contain_text("Acme Imports LLC")
    page.screenshot(path=artifact_path("invitations-accept-page.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_test_id("join").click()
    expect(page.get_by_text("Welcome to Acme Imports LLC.")).to_be_visible()
    assert company.role_of(company.memberships.get(user__email="ana.ruiz@acme.test").user) == (
        "user"
    )

    # The used link says so.
    response = page.goto(path)
    assert response is not None and response.status == 410
    expect(page.get_by_test_id("invitation-closed")).to_contain_text("already used")
    broken[:] = [b for b in broken if path not in b]
    assert broken == []
