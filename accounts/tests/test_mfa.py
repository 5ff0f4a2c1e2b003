"""Two-factor authentication: required for company officers and program-office staff,
optional for everyone else, asked for at sign-in once set up."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import APIToken, User
from accounts.tests.helpers import AccountsTestCase, secret_of, totp_code
from companies.models import Company
from portal.testing import PASSWORD, add_member, give_totp, make_company, make_user

ACTIVATE = "/accounts/2fa/totp/activate/"


class RequiredMFATests(AccountsTestCase):
    officer: User
    specialist: User
    plain: User
    company: Company

    @classmethod
    def setUpTestData(cls) -> None:
        company = make_company()
        cls.officer = make_user("officer@acme.test")
        add_member(company, cls.officer, "officer")
        cls.specialist = make_user("specialist@cbp.test", program_role="specialist")
        cls.plain = make_user("user@acme.test")
        add_member(company, cls.plain, "user")
        cls.company = company

    def assert_sent_to_setup(self, response: Any, next_url: str) -> None:
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(ACTIVATE), response["Location"])
        self.assertIn("required=1", response["Location"])
        self.assertIn(f"next={next_url.replace('/', '%2F')}", response["Location"])

    def test_officer_with_an_unconfirmed_address_is_shown_how_to_confirm_it(self) -> None:
        # allauth will not set a factor up before the address is confirmed; the officer
        # must land on the page that re-sends the confirmation, not be bounced away.
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=self.officer, email=self.officer.email, primary=True)
        self.sign_in("officer@acme.test", PASSWORD)
        for url in (reverse("companies:company-list"), ACTIVATE):
            response = self.client.get(url)
            self.assertRedirects(response, reverse("account_email"), fetch_redirect_response=False)
        page = self.client.get(reverse("account_email"))
        self.assertContains(page, "needs a confirmed e-mail address")
        self.assertContains(page, 'name="action_send"')
        EmailAddress.objects.filter(user=self.officer).update(verified=True)
        self.assert_sent_to_setup(self.client.get("/companies/"), "/companies/")

    def test_officer_without_totp_is_sent_to_setup_from_any_page(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        for url in (
            reverse("companies:company-list"),
            reverse("companies:company-detail", args=[self.company.pk]),
            reverse("catalogue:criterion-list"),
        ):
            with self.subTest(url=url):
                self.assert_sent_to_setup(self.client.get(url), url)

    def test_program_office_without_totp_is_sent_to_setup(self) -> None:
        self.sign_in("specialist@cbp.test", PASSWORD)
        self.assert_sent_to_setup(self.client.get("/companies/"), "/companies/")

    def test_setup_asks_for_the_password_again_then_keeps_the_reason(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        response = self.client.get("/companies/")
        confirm = self.client.get(response["Location"], follow=True)
        self.assertContains(confirm, 'name="password"')
        back = self.client.post(
            confirm.request["PATH_INFO"] + "?" + confirm.request["QUERY_STRING"],
            {"password": PASSWORD},
        )
        self.assertEqual(back.status_code, 302)
        self.assertIn("required=1", back["Location"])
        self.assertEqual(self.client.get(back["Location"]).status_code, 200)

    def test_setup_page_explains_why_and_shows_the_key(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        self.reauthenticate(PASSWORD)
        page = self.client.get(f"{ACTIVATE}?required=1&next=/companies/")
        self.assertEqual(page.status_code, 200)
        secret = page.context["form"].secret
        self.assertContains(page, secret)
        self.assertContains(page, 'class="qr" src="data:image/svg+xml;base64,')
        self.assertContains(page, "must use two-factor authentication")

    def test_officer_without_totp_can_still_sign_out(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        response = self.client.post(reverse("account_logout"))
        self.assertRedirects(response, reverse("account_login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_officer_cannot_skip_setup_by_creating_an_api_token(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        response = self.client.post(reverse("accounts:token-list"), {"name": "script"})
        self.assert_sent_to_setup(response, reverse("accounts:token-list"))
        self.assertFalse(APIToken.objects.filter(user=self.officer).exists())

    def test_officer_without_totp_cannot_use_the_api_with_the_browser_session(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        response = self.client.get("/api/v1/companies/")
        self.assertEqual(response.status_code, 403)
        self.assertIn("two-factor", response.json()["detail"])

    def test_after_activating_totp_the_officer_proceeds(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        self.reauthenticate(PASSWORD)
        page = self.client.get(f"{ACTIVATE}?required=1&next=/companies/")
        secret = page.context["form"].secret
        response = self.client.post(
            f"{ACTIVATE}?required=1&next=/companies/", {"code": totp_code(secret)}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Authenticator.objects.filter(user=self.officer, type="totp").exists())
        self.assertEqual(self.client.get("/companies/").status_code, 200)

    def test_wrong_code_does_not_activate(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        self.reauthenticate(PASSWORD)
        page = self.client.get(ACTIVATE)
        code = totp_code(page.context["form"].secret)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        response = self.client.post(ACTIVATE, {"code": wrong})
        self.assertContains(response, "Incorrect code")
        self.assertFalse(Authenticator.objects.filter(user=self.officer).exists())

    def test_plain_user_is_not_forced_and_may_opt_in_and_out(self) -> None:
        self.sign_in("user@acme.test", PASSWORD)
        self.assertEqual(self.client.get("/companies/").status_code, 200)
        self.reauthenticate(PASSWORD)
        page = self.client.get(ACTIVATE)
        self.assertNotContains(page, "must use two-factor authentication")
        self.client.post(ACTIVATE, {"code": totp_code(page.context["form"].secret)})
        self.assertTrue(Authenticator.objects.filter(user=self.plain, type="totp").exists())

        deactivate = reverse("mfa_deactivate_totp")
        self.assertRedirects(self.client.post(deactivate), reverse("mfa_index"))
        self.assertFalse(Authenticator.objects.filter(user=self.plain, type="totp").exists())


class TOTPSignInTests(AccountsTestCase):
    officer: User
    secret: str

    @classmethod
    def setUpTestData(cls) -> None:
        company = make_company()
        cls.officer = make_user("officer@acme.test", mfa=True)
        add_member(company, cls.officer, "officer")
        cls.secret = secret_of(cls.officer)

    def test_password_alone_is_not_enough(self) -> None:
        response = self.sign_in("officer@acme.test", PASSWORD)
        self.assertRedirects(response, reverse("mfa_authenticate"))
        self.assertNotIn("_auth_user_id", self.client.session)
        page = self.client.get("/companies/")
        self.assertEqual(page.status_code, 302)
        self.assertIn(reverse("account_login"), page["Location"])

    def test_correct_code_lets_the_officer_in(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        response = self.client.post(reverse("mfa_authenticate"), {"code": totp_code(self.secret)})
        self.assertRedirects(response, reverse("home"))
        self.assertEqual(self.client.get("/companies/").status_code, 200)

    def test_wrong_code_is_refused(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        code = totp_code(self.secret)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        response = self.client.post(reverse("mfa_authenticate"), {"code": wrong})
        self.assertContains(response, "Incorrect code")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_officer_cannot_deactivate_totp(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        self.client.post(reverse("mfa_authenticate"), {"code": totp_code(self.secret)})
        self.reauthenticate(PASSWORD)
        deactivate = reverse("mfa_deactivate_totp")
        page = self.client.get(deactivate)
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.context["form"].errors)
        self.client.post(deactivate)
        self.assertTrue(Authenticator.objects.filter(user=self.officer, type="totp").exists())

    def test_plain_member_with_totp_may_deactivate(self) -> None:
        user = make_user("plain@acme.test")
        give_totp(user)
        self.sign_in("plain@acme.test", PASSWORD)
        self.client.post(reverse("mfa_authenticate"), {"code": totp_code(secret_of(user))})
        self.reauthenticate(PASSWORD)
        self.client.post(reverse("mfa_deactivate_totp"))
        self.assertFalse(Authenticator.objects.filter(user=user, type="totp").exists())


class ScriptRequestTests(AccountsTestCase):
    def test_a_pages_script_is_refused_not_sent_to_the_set_up_page(self) -> None:
        """The header's counts, fetched by a script while an officer reads the set-up
        page, must not open that page again (it would draw a new secret)."""
        from portal.testing import add_member, make_company, make_user

        officer = make_user("officer@acme.test")
        add_member(make_company(), officer, "officer")
        self.client.force_login(officer)
        fetched = self.client.get("/me/counts/", headers={"sec-fetch-mode": "cors"})
        self.assertEqual(fetched.status_code, 403)
        opened = self.client.get("/me/counts/", headers={"sec-fetch-mode": "navigate"})
        self.assertEqual(opened.status_code, 302)
        self.assertIn("/accounts/2fa/totp/activate/", opened["Location"])
