"""Signing in with an e-mail address, signing out, resetting a forgotten password by
e-mail, and the lockout after repeated wrong passwords."""

from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.helpers import AccountsTestCase, first_link
from portal.testing import PASSWORD, make_user


class SignInTests(AccountsTestCase):
    user: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("Ana.Ruiz@Acme.test")

    def test_sign_in_with_email_reaches_the_home(self) -> None:
        response = self.sign_in("ana.ruiz@acme.test", PASSWORD)
        self.assertRedirects(response, reverse("home"))
        page = self.client.get(reverse("companies:company-list"))
        self.assertContains(page, "ana.ruiz@acme.test")

    def test_email_is_matched_whatever_its_case(self) -> None:
        response = self.sign_in("ANA.RUIZ@ACME.TEST", PASSWORD)
        self.assertRedirects(response, reverse("home"))

    def test_wrong_password_is_refused_and_says_so(self) -> None:
        response = self.sign_in("ana.ruiz@acme.test", "not-the-password")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "not correct")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_sign_out_ends_the_session(self) -> None:
        self.sign_in("ana.ruiz@acme.test", PASSWORD)
        response = self.client.post(reverse("account_logout"))
        self.assertRedirects(response, reverse("account_login"), fetch_redirect_response=False)
        page = self.client.get(reverse("companies:company-list"))
        self.assertRedirects(
            page, f"{reverse('account_login')}?next=/companies/", fetch_redirect_response=False
        )

    def test_sign_up_signs_the_newcomer_in(self) -> None:
        response = self.client.post(
            reverse("account_signup"),
            {
                "email": "New@Startup.test",
                "password1": "a-long-passphrase-9",
                "password2": "a-long-passphrase-9",
            },
        )
        self.assertRedirects(response, reverse("home"))
        self.assertTrue(User.objects.filter(email="new@startup.test").exists())
        page = self.client.get(reverse("companies:company-list"))
        self.assertContains(page, "You are not a member of any company yet")

    def test_sign_up_with_a_taken_address_is_refused(self) -> None:
        response = self.client.post(
            reverse("account_signup"),
            {
                "email": "ana.ruiz@acme.test",
                "password1": "a-long-passphrase-9",
                "password2": "a-long-passphrase-9",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["email"])
        self.assertEqual(User.objects.filter(email="ana.ruiz@acme.test").count(), 1)

    def test_anonymous_home_goes_to_sign_in(self) -> None:
        response = self.client.get("/")
        self.assertRedirects(response, reverse("account_login"))


class PasswordResetTests(AccountsTestCase):
    user: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("bo@acme.test")

    def test_reset_mail_link_sets_a_new_password_that_works(self) -> None:
        response = self.client.post(reverse("account_reset_password"), {"email": "bo@acme.test"})
        self.assertRedirects(response, reverse("account_reset_password_done"))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["bo@acme.test"])
        link = first_link(message.body)

        form_page = self.client.get(link, follow=True)
        self.assertContains(form_page, 'name="password1"')
        new_password = "a-brand-new-passphrase-42"
        # The link leads on to a key-less address; the form posts there.
        done = self.client.post(
            form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
        )
        self.assertRedirects(done, reverse("account_reset_password_from_key_done"))

        self.assertRedirects(self.sign_in("bo@acme.test", new_password), reverse("home"))
        self.client.logout()
        self.assertEqual(self.sign_in("bo@acme.test", PASSWORD).status_code, 200)

    def test_reset_link_works_only_once(self) -> None:
        self.client.post(reverse("account_reset_password"), {"email": "bo@acme.test"})
        link = first_link(mail.outbox[0].body)
        page = self.client.get(link, follow=True)
        target = page.redirect_chain[-1][0]
        new_password = "a-brand-new-passphrase-42"
        self.client.post(target, {"password1": new_password, "password2": new_password})
        self.client.logout()
        again = self.client.get(link, follow=True)
        self.assertNotContains(again, 'name="password1"')

    def test_unknown_address_gets_no_mail_and_no_hint(self) -> None:
        response = self.client.post(
            reverse("account_reset_password"), {"email": "nobody@acme.test"}
        )
        # Same answer as for a real account, so nobody can probe who has one.
        self.assertRedirects(response, reverse("account_reset_password_done"))
        self.assertFalse(any("/password/reset/key/" in m.body for m in mail.outbox))


class LockoutTests(AccountsTestCase):
    user: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("cy@acme.test")

    def _fail(self, times: int) -> None:
        for _ in range(times):
            response = self.sign_in("cy@acme.test", "wrong-password")
            self.assertEqual(response.status_code, 200)

    def test_after_the_limit_even_the_right_password_is_refused_until_the_window_ends(
        self,
    ) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            self._fail(settings.CTPAT_LOGIN_FAILURES)
            refused = self.sign_in("cy@acme.test", PASSWORD)
            self.assertEqual(refused.status_code, 200)
            self.assertContains(refused, "Too many failed login attempts")
            self.assertNotIn("_auth_user_id", self.client.session)

            clock.shift(datetime.timedelta(minutes=settings.CTPAT_LOCKOUT_MINUTES - 1))
            self.assertContains(self.sign_in("cy@acme.test", PASSWORD), "Too many failed")

            clock.shift(datetime.timedelta(minutes=1, seconds=1))
            allowed = self.sign_in("cy@acme.test", PASSWORD)
            self.assertRedirects(allowed, reverse("home"))

    def test_one_failure_short_of_the_limit_still_lets_the_owner_in(self) -> None:
        self._fail(settings.CTPAT_LOGIN_FAILURES - 1)
        self.assertRedirects(self.sign_in("cy@acme.test", PASSWORD), reverse("home"))

    def test_lockout_is_per_account(self) -> None:
        make_user("dee@acme.test")
        self._fail(settings.CTPAT_LOGIN_FAILURES)
        self.assertRedirects(self.sign_in("dee@acme.test", PASSWORD), reverse("home"))
