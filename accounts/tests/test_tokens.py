"""API tokens: created on the tokens page, shown once, accepted by the API as
`Authorization: Token <key>`, and refused once revoked."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.helpers import AccountsTestCase
from companies.models import Company
from core.testing import add_member, make_company, make_user


class APITokenTests(AccountsTestCase):
    user: User
    company: Company
    other: Company

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("api@acme.test")
        cls.company = make_company("Acme Imports LLC")
        cls.other = make_company("Other Co")
        add_member(cls.company, cls.user, "user")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.user)

    def create_token(self) -> str:
        page = self.client.post(reverse("accounts:token-list"), {"confirm": "on"})
        self.assertEqual(page.status_code, 200)
        key: str = page.context["new_key"]
        self.assertContains(page, f'data-testid="new-token">{key}<')
        return key

    def api(self, key: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    def test_new_token_is_shown_once(self) -> None:
        key = self.create_token()
        again = self.client.get(reverse("accounts:token-list"))
        self.assertNotContains(again, key)
        self.assertContains(again, "You have a token created on")

    def test_creating_asks_for_confirmation(self) -> None:
        page = self.client.post(reverse("accounts:token-list"), {})
        self.assertFalse(Token.objects.filter(user=self.user).exists())
        self.assertTrue(page.context["form"].errors["confirm"])

    def test_token_works_on_me_and_companies(self) -> None:
        client = self.api(self.create_token())
        me = client.get("/api/v1/me/")
        self.assertEqual(me.status_code, 200)
        self.assertEqual(me.json()["email"], "api@acme.test")
        self.assertEqual(
            me.json()["memberships"],
            [{"company": self.company.pk, "company_name": "Acme Imports LLC", "role": "user"}],
        )
        companies = client.get("/api/v1/companies/")
        self.assertEqual(companies.status_code, 200)
        self.assertEqual([c["id"] for c in companies.json()["results"]], [self.company.pk])

    def test_a_new_token_replaces_the_old_one(self) -> None:
        old = self.create_token()
        new = self.create_token()
        self.assertEqual(self.api(old).get("/api/v1/me/").status_code, 401)
        self.assertEqual(self.api(new).get("/api/v1/me/").status_code, 200)

    def test_revoked_token_answers_401(self) -> None:
        key = self.create_token()
        response = self.client.post(reverse("accounts:token-revoke"))
        self.assertRedirects(response, reverse("accounts:token-list"))
        client = self.api(key)
        self.assertEqual(client.get("/api/v1/me/").status_code, 401)
        self.assertEqual(client.get("/api/v1/companies/").status_code, 401)

    def test_wrong_token_answers_401(self) -> None:
        self.assertEqual(self.api("0" * 40).get("/api/v1/me/").status_code, 401)
