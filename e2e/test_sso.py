"""An officer signs in through the organisation's OpenID Connect provider in a real
browser: the sign-in page offers the SSO button, the provider (a real one the test serves)
asks who is signing in, and because its ID token says it asked for a second factor
(`amr: mfa`) the officer lands on the portal without the portal's own code."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import requests
from django.conf import settings
from django.test import override_settings
from oidc_provider_mock import run_server_in_thread  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from accounts.tests.test_sso import provider_settings
from e2e.conftest import artifact_path, serious_accessibility_problems
from portal.testing import add_member, make_company, make_user


@pytest.mark.django_db(transaction=True)
def test_officer_signs_in_through_the_idp(page: Page, live_server: Any, broken: list[str]) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("officer@acme.test", mfa=True), "officer")
    with run_server_in_thread() as server:
        provider = f"http://localhost:{server.server_port}"
        requests.put(
            f"{provider}/users/officer@acme.test",
            json={"email": "officer@acme.test", "email_verified": True, "amr": ["pwd", "mfa"]},
            timeout=10,
        ).raise_for_status()
        # What portal/settings.py adds for OIDC_SERVER_URL: the IdP's origin in form-action.
        csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        csp["DIRECTIVES"]["form-action"].append(provider)
        with override_settings(
            SOCIALACCOUNT_PROVIDERS=provider_settings(provider), CONTENT_SECURITY_POLICY=csp
        ):
            page.goto("/accounts/login/")
            sso = page.get_by_role("link", name="Acme SSO")
            expect(sso).to_be_visible()
            page.screenshot(path=artifact_path("sso-sign-in-page.png"), full_page=True)
            assert serious_accessibility_problems(page) == []
            sso.click()
            page.get_by_role("button", name="Continue").click()  # allauth's confirmation
            expect(page).to_have_url(re.compile(rf"^{re.escape(provider)}/oauth2/authorize"))
            page.locator("input[name=sub]").fill("officer@acme.test")
            page.get_by_role("button", name="Authorize").click()
            expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/(companies/)?$"))
            expect(page.locator("main").get_by_text("Acme Imports LLC").first).to_be_visible()
            page.screenshot(path=artifact_path("sso-signed-in.png"), full_page=True)
    assert broken == []
