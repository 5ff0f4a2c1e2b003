"""One sign-in path: allauth's, with its second factor and lockout. The Django admin has no
password form of its own, and a session counts as signed in with the second factor only
when this session typed the code, not because the user owns an authenticator app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from accounts.models import APIToken, User
from accounts.tests.helpers import AccountsTestCase, secret_of, totp_code
from accounts.tokens import issue_token
from portal.testing import PASSWORD, add_member, make_company, make_user, sign_in

ADMIN_LOGIN = "/admin/login/"


class AdminDoorTests(AccountsTestCase):
    """A program-office supervisor who is also staff, with an authenticator app."""

    staff: User
    secret: str

    @classmethod
    def setUpTestData(cls) -> None:
        cls.staff = make_user(
            "supervisor@cbp.test",
            program_role="supervisor",
            mfa=True,
            is_staff=True,
            is_superuser=True,
        )
        cls.secret = secret_of(cls.staff)

    def admin_post(self, password: str) -> Any:
        return self.client.post(
            f"{ADMIN_LOGIN}?next=/admin/",
            {"username": "supervisor@cbp.test", "password": password, "next": "/admin/"},
        )

    def sign_in_with_code(self) -> None:
        self.sign_in("supervisor@cbp.test", PASSWORD)
        response = self.client.post(reverse("mfa_authenticate"), {"code": totp_code(self.secret)})
        self.assertEqual(response.status_code, 302)

    def test_the_admin_login_page_sends_to_the_portal_sign_in(self) -> None:
        response = self.client.get(f"{ADMIN_LOGIN}?next=/admin/accounts/user/")
        self.assertRedirects(
            response,
            f"{reverse('account_login')}?next=%2Fadmin%2Faccounts%2Fuser%2F",
            fetch_redirect_response=False,
        )

    def test_the_password_alone_at_the_admin_login_opens_nothing(self) -> None:
        response = self.admin_post(PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("account_login")))
        self.assertNotIn("_auth_user_id", self.client.session)
        for page in ("/program-office/", "/admin/"):
            with self.subTest(page=page):
                answer = self.client.get(page, follow=True)
                self.assertTrue(answer.redirect_chain, page)
                self.assertTrue(answer.redirect_chain[-1][0].startswith(reverse("account_login")))
                self.assertNotIn("_auth_user_id", self.client.session)
        self.assertIn(self.client.get("/api/v1/companies/").status_code, (401, 403))

    def test_wrong_passwords_then_the_right_one_stay_locked_out_at_every_door(self) -> None:
        self.assertLess(settings.CTPAT_LOGIN_FAILURES, 8)
        for _ in range(8):
            self.admin_post("wrong-password")
            self.sign_in("supervisor@cbp.test", "wrong-password")
        self.admin_post(PASSWORD)
        self.assertNotIn("_auth_user_id", self.client.session)
        refused = self.sign_in("supervisor@cbp.test", PASSWORD)
        self.assertContains(refused, "Too many failed login attempts")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.client.get("/program-office/").status_code, 302)

    def test_staff_reach_the_admin_after_signing_in_with_the_code(self) -> None:
        self.sign_in_with_code()
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.assertEqual(self.client.get("/program-office/").status_code, 200)

    def test_the_admin_login_page_sends_signed_in_staff_on(self) -> None:
        self.sign_in_with_code()
        response = self.client.get(f"{ADMIN_LOGIN}?next=/admin/accounts/user/")
        self.assertRedirects(response, "/admin/accounts/user/")

    def test_a_password_set_in_the_admin_revokes_the_users_api_tokens(self) -> None:
        member = make_user("member@acme.test")
        issue_token(member, name="script")
        self.sign_in_with_code()
        new = "a-brand-new-passphrase-42"
        response = self.client.post(
            f"/admin/accounts/user/{member.pk}/password/", {"password1": new, "password2": new}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(APIToken.objects.filter(user=member).exists())

    def test_a_session_that_skipped_the_code_is_signed_out_of_the_admin(self) -> None:
        self.client.force_login(self.staff)  # a session opened without the second factor
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("account_login")))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_staff_without_an_authenticator_are_sent_to_set_one_up_before_the_admin(
        self,
    ) -> None:
        make_user("ops@openctpat.test", is_staff=True, is_superuser=True)
        self.sign_in("ops@openctpat.test", PASSWORD)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        follow = self.client.get(response["Location"])
        self.assertEqual(follow.status_code, 302)
        self.assertTrue(follow["Location"].startswith(reverse("mfa_activate_totp")))

    def test_a_member_who_is_not_staff_is_refused_without_a_loop(self) -> None:
        member = make_user("member@acme.test", mfa=True)
        sign_in(self.client, member)
        response = self.client.get("/admin/", follow=True)
        self.assertEqual(response.status_code, 403)


class SessionSecondFactorTests(AccountsTestCase):
    """The rule is about this session: owning an authenticator app is not enough."""

    officer: User
    plain: User

    @classmethod
    def setUpTestData(cls) -> None:
        company = make_company()
        cls.officer = make_user("officer@acme.test", mfa=True)
        add_member(company, cls.officer, "officer")
        cls.plain = make_user("opted-in@acme.test", mfa=True)
        add_member(company, cls.plain, "user")

    def test_a_session_without_the_code_is_ended_and_sent_to_sign_in(self) -> None:
        for user in (self.officer, self.plain):
            with self.subTest(user=user.email):
                self.client.force_login(user)
                response = self.client.get("/companies/")
                self.assertEqual(response.status_code, 302)
                self.assertEqual(
                    response["Location"], f"{reverse('account_login')}?next=%2Fcompanies%2F"
                )
                self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_api_refuses_a_browser_session_without_the_code(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/api/v1/companies/")
        self.assertEqual(response.status_code, 403)
        self.assertIn("two-factor", response.json()["detail"])

    def test_account_pages_are_closed_to_a_session_without_the_code(self) -> None:
        # Changing the password or switching the factor off must not be open either.
        self.client.force_login(self.plain)
        response = self.client.get(reverse("account_change_password"))
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_same_session_after_the_code_goes_on(self) -> None:
        self.sign_in("officer@acme.test", PASSWORD)
        self.client.post(reverse("mfa_authenticate"), {"code": totp_code(secret_of(self.officer))})
        self.assertEqual(self.client.get("/companies/").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/companies/").status_code, 200)
