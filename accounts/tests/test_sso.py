"""Single sign-on against a real OpenID Connect provider that the test serves on this
machine (oidc-provider-mock: discovery, authorization code with PKCE, RS256-signed ID
tokens, JWKS, userinfo), through allauth's openid_connect provider.

The provider is a separate server the portal reaches over HTTP; the browser's part (the
provider's sign-in form) is played with plain HTTP requests.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from oidc_provider_mock import run_server_in_thread  # type: ignore[import-untyped]

from accounts.mfa import session_passed_mfa
from accounts.models import User
from companies.models import Membership
from portal.testing import PersonaTestCase


def provider_settings(server_url: str) -> dict[str, Any]:
    """What portal/settings.py builds from OIDC_SERVER_URL, OIDC_CLIENT_ID, ..."""
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Acme SSO",
                    "client_id": "openctpat",
                    "secret": "test-client-secret",
                    "settings": {
                        "server_url": server_url,
                        "scope": ["openid", "email", "profile"],
                    },
                }
            ],
        }
    }


class SingleSignOnTests(PersonaTestCase):
    provider: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        server = cls.enterClassContext(run_server_in_thread())
        cls.provider = f"http://localhost:{server.server_port}"
        cls.enterClassContext(
            override_settings(SOCIALACCOUNT_PROVIDERS=provider_settings(cls.provider))
        )

    def setUp(self) -> None:
        cache.clear()

    def sso(self, email: str, **claims: Any) -> Any:
        """Sign in through the IdP as `email`; the portal's answer to the callback."""
        answer = requests.put(
            f"{self.provider}/users/{email}",
            json={"email": email, "email_verified": True, "name": email.split("@")[0], **claims},
            timeout=10,
        )
        self.assertEqual(answer.status_code, 204)
        start = self.client.post(reverse("openid_connect_login", args=["sso"]))
        self.assertEqual(start.status_code, 302)
        authorize = start["Location"]
        self.assertTrue(authorize.startswith(f"{self.provider}/oauth2/authorize?"), authorize)
        self.assertIn("code_challenge=", authorize)  # PKCE
        consent = requests.post(authorize, data={"sub": email}, allow_redirects=False, timeout=10)
        self.assertEqual(consent.status_code, 302, consent.text[:500])
        back = urlsplit(consent.headers["Location"])
        self.assertIn("code", parse_qs(back.query))
        return self.client.get(f"{back.path}?{back.query}")

    def signed_in(self) -> User | None:
        response = self.client.get(reverse("companies:company-list"))
        user = response.wsgi_request.user
        return user if user.is_authenticated and response.status_code == 200 else None

    def test_the_sign_in_page_offers_the_organisations_sso(self) -> None:
        page = self.client.get(reverse("account_login"))
        self.assertContains(page, "Acme SSO")
        self.assertContains(page, reverse("openid_connect_login", args=["sso"]))

    def test_a_new_person_gets_an_account_but_no_membership(self) -> None:
        response = self.sso("nuevo@acme.test")
        self.assertEqual(response.status_code, 302)
        user = User.objects.get(email="nuevo@acme.test")
        self.assertEqual(self.signed_in(), user)
        self.assertFalse(Membership.objects.filter(user=user).exists())
        self.assertEqual(SocialAccount.objects.get(user=user).provider, "sso")

    def test_a_member_signs_in_to_the_existing_account_with_the_same_email(self) -> None:
        self.sso("user@acme.test")
        self.assertEqual(self.signed_in(), self.users["user"])
        self.assertEqual(User.objects.filter(email="user@acme.test").count(), 1)

    def test_an_officer_is_still_asked_for_the_second_factor(self) -> None:
        response = self.sso("officer@acme.test", amr=["pwd"])
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], reverse("mfa_authenticate"))
        self.assertIsNone(self.signed_in())

    def test_an_officer_whose_idp_asserts_mfa_is_signed_in(self) -> None:
        self.sso("officer@acme.test", amr=["pwd", "mfa"])
        self.assertEqual(self.signed_in(), self.users["officer"])
        page = self.client.get(reverse("companies:company-list"))
        self.assertTrue(session_passed_mfa(page.wsgi_request))
        company = self.client.get(reverse("companies:company-detail", args=[self.company.pk]))
        self.assertEqual(company.status_code, 200)

    @override_settings(OIDC_TRUST_IDP_MFA=False)
    def test_with_the_idp_not_trusted_for_mfa_the_code_is_asked_anyway(self) -> None:
        response = self.sso("officer@acme.test", amr=["pwd", "mfa"])
        self.assertEqual(response["Location"], reverse("mfa_authenticate"))

    def test_program_office_without_an_authenticator_is_sent_to_set_one_up(self) -> None:
        User.objects.create_user("analyst@cbp.test", "x-unused-pass", program_role="specialist")
        self.sso("analyst@cbp.test")
        response = self.client.get(reverse("companies:company-list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("mfa_activate_totp"), response["Location"])

    @override_settings(OIDC_ALLOW_SIGNUP=False)
    def test_with_signup_closed_an_unknown_person_gets_no_account(self) -> None:
        self.sso("stranger@acme.test")
        self.assertFalse(User.objects.filter(email="stranger@acme.test").exists())
        self.assertIsNone(self.signed_in())
