"""The compliance officer of a company with hundreds of partners pages to the last page of
the partner list, filters it, and reads the partners dashboard; both pages pass axe-core
with no critical or serious finding."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator as MFAAuthenticator
from allauth.mfa.utils import decrypt
from playwright.sync_api import Page, expect

from e2e.conftest import Authenticator, artifact_path, serious_accessibility_problems
from partners.models import BusinessPartner, PartnerScreening
from portal.testing import PASSWORD, add_member, make_company, make_user

COUNTRIES = ["MX", "US", "GT", "CN"]


def _sign_in_with_code(page: Page, user: Any) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    secret = decrypt(MFAAuthenticator.objects.get(user=user, type="totp").data["secret"])
    page.locator("input[name=code]").fill(Authenticator(str(secret)).code())
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))


@pytest.mark.django_db(transaction=True)
def test_officer_pages_a_large_partner_list_and_reads_the_dashboard(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    officer = make_user("dana.price@acme-imports.test", mfa=True)
    add_member(company, officer, "officer")
    partners = BusinessPartner.objects.bulk_create(
        BusinessPartner(
            company=company,
            name=f"Proveedor {n:03d}",
            normalised_name=f"proveedor {n:03d}",
            role="manufacturer",
            country=COUNTRIES[n % 4],
            tier=("high", "medium", "low")[n % 3],
            computed_tier=("high", "medium", "low")[n % 3],
        )
        for n in range(260)
    )
    PartnerScreening.objects.bulk_create(
        PartnerScreening(partner=p, threshold=88.0, status="alert" if n % 20 == 0 else "clear")
        for n, p in enumerate(partners)
    )
    _sign_in_with_code(page, officer)

    page.goto(f"/companies/{company.pk}/partners/")
    pager = page.get_by_role("navigation", name="Pages")
    expect(pager).to_contain_text("Page 1 of 6 (260 rows)")
    pager.get_by_test_id("last-page").click()
    expect(pager).to_contain_text("Page 6 of 6 (260 rows)")
    expect(page.get_by_test_id("partner-table").locator("tbody tr")).to_have_count(10)
    pager.get_by_test_id("first-page").click()
    expect(pager).to_contain_text("Page 1 of 6")
    page.get_by_label("Country").select_option(value="GT")
    page.get_by_role("button", name="Filter").click()
    expect(pager).to_contain_text("Page 1 of 2 (65 rows)")
    page.screenshot(path=artifact_path("large-partner-list.png"), full_page=True)
    assert serious_accessibility_problems(page) == []

    page.goto(f"/companies/{company.pk}/partners/dashboard/")
    expect(page.locator("main")).to_contain_text("260")
    page.screenshot(path=artifact_path("large-partner-dashboard.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    assert broken == []
