"""API tokens: several per person, created on the tokens page and shown once, stored only
as a digest, optionally read-only or expiring, accepted as `Authorization: Token …` (or
`Bearer …`), revoked on a password change or reset and on leaving a company, and held to
the same second-factor rule and the same current roles as the pages."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import APIToken, User
from accounts.tests.helpers import AccountsTestCase, first_link
from accounts.tokens import issue_token
from companies.models import Company, Membership
from portal.testing import PASSWORD, add_member, give_totp, make_company, make_user, sign_in


def api(key: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


class TokenPageTests(AccountsTestCase):
    user: User
    company: Company

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("api@acme.test")
        cls.company = make_company("Acme Imports LLC")
        add_member(cls.company, cls.user, "user")

    def setUp(self) -> None:
        super().setUp()
        sign_in(self.client, self.user)

    def create_token(self, **fields: Any) -> str:
        data = {"name": "nightly export", **fields}
        page = self.client.post(reverse("accounts:token-list"), data)
        self.assertEqual(page.status_code, 200)
        key: str = page.context["new_token"]
        self.assertContains(page, f'data-testid="new-token"><code>{key}</code>')
        return key

    def test_the_new_token_is_shown_once_and_then_only_its_prefix(self) -> None:
        key = self.create_token()
        again = self.client.get(reverse("accounts:token-list"))
        self.assertNotContains(again, key)
        token = APIToken.objects.get(user=self.user)
        self.assertTrue(key.startswith(f"{token.prefix}."))
        self.assertContains(again, token.prefix)
        self.assertContains(again, "nightly export")
        self.assertContains(again, "read-write")
        self.assertContains(again, "never")  # last used

    def test_the_database_holds_a_digest_never_the_secret(self) -> None:
        key = self.create_token()
        secret = key.partition(".")[2]
        token = APIToken.objects.get(user=self.user)
        self.assertEqual(token.digest, hashlib.sha256(secret.encode()).hexdigest())
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM accounts_apitoken")
            stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
        self.assertNotIn(secret, stored)
        self.assertNotIn(key, stored)

    def test_several_tokens_each_work_until_revoked(self) -> None:
        first = self.create_token(name="first")
        second = self.create_token(name="second", read_only="on")
        self.assertEqual(APIToken.objects.filter(user=self.user).count(), 2)
        for key in (first, second):
            self.assertEqual(api(key).get("/api/v1/me/").status_code, 200)

        token = APIToken.objects.get(name="first")
        response = self.client.post(reverse("accounts:token-revoke", args=[token.pk]))
        self.assertRedirects(response, reverse("accounts:token-list"))
        self.assertEqual(api(first).get("/api/v1/me/").status_code, 401)
        self.assertEqual(api(second).get("/api/v1/me/").status_code, 200)

    def test_a_name_is_required_and_the_error_names_the_field(self) -> None:
        page = self.client.post(reverse("accounts:token-list"), {"name": ""})
        self.assertTrue(page.context["form"].errors["name"])
        self.assertFalse(APIToken.objects.exists())

    def test_an_expiry_in_the_past_is_refused(self) -> None:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        page = self.client.post(
            reverse("accounts:token-list"), {"name": "x", "expires": yesterday.isoformat()}
        )
        self.assertTrue(page.context["form"].errors["expires"])
        self.assertFalse(APIToken.objects.exists())

    def test_another_persons_token_can_be_neither_seen_nor_revoked(self) -> None:
        other = make_user("other@norte.test")
        theirs, key = issue_token(other, name="their script")
        page = self.client.get(reverse("accounts:token-list"))
        self.assertNotContains(page, "their script")
        self.assertNotContains(page, theirs.key_id)
        response = self.client.post(reverse("accounts:token-revoke", args=[theirs.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(api(key).get("/api/v1/me/").status_code, 200)


class TokenAuthenticationTests(AccountsTestCase):
    user: User
    company: Company

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("api@acme.test")
        cls.company = make_company("Acme Imports LLC")
        make_company("Other Co")
        add_member(cls.company, cls.user, "user")

    def test_token_works_on_me_and_companies_with_either_keyword(self) -> None:
        _token, key = issue_token(self.user, name="script")
        for keyword in ("Token", "Bearer"):
            with self.subTest(keyword=keyword):
                client = api(key, keyword)
                me = client.get("/api/v1/me/")
                self.assertEqual(me.status_code, 200)
                self.assertEqual(
                    me.json()["memberships"],
                    [
                        {
                            "company": self.company.pk,
                            "company_name": "Acme Imports LLC",
                            "role": "user",
                        }
                    ],
                )
                companies = client.get("/api/v1/companies/")
                self.assertEqual([c["id"] for c in companies.json()["results"]], [self.company.pk])

    def test_a_wrong_or_malformed_token_answers_401(self) -> None:
        token, key = issue_token(self.user, name="script")
        for bad in ("0" * 40, f"ctpat_{token.key_id}.wrong-secret", "ctpat_.x", key + "x"):
            with self.subTest(bad=bad):
                self.assertEqual(api(bad).get("/api/v1/me/").status_code, 401)
        self.assertEqual(api(f"{key} extra").get("/api/v1/me/").status_code, 401)

    def test_an_expired_token_is_refused(self) -> None:
        start = timezone.now()
        _token, key = issue_token(
            self.user, name="week", expires=start + datetime.timedelta(days=7)
        )
        with time_machine.travel(start + datetime.timedelta(days=6), tick=False):
            self.assertEqual(api(key).get("/api/v1/me/").status_code, 200)
        with time_machine.travel(start + datetime.timedelta(days=7, seconds=1), tick=False):
            response = api(key).get("/api/v1/me/")
            self.assertEqual(response.status_code, 401)
            self.assertIn("expired", response.json()["detail"])

    def test_a_read_only_token_reads_but_may_not_write(self) -> None:
        _token, key = issue_token(self.user, name="reader", read_only=True)
        client = api(key)
        self.assertEqual(client.get("/api/v1/companies/").status_code, 200)
        self.assertEqual(client.head("/api/v1/companies/").status_code, 200)
        response = client.post(
            "/api/v1/addresses/",
            json.dumps(
                {
                    "company": self.company.pk,
                    "kind": "office",
                    "street": "5 Elm",
                    "city": "Dallas",
                    "country": "US",
                }
            ),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("read-only", response.json()["detail"])
        self.assertFalse(self.company.addresses.exists())

    def test_last_used_is_recorded_at_most_once_a_minute(self) -> None:
        token, key = issue_token(self.user, name="script")
        self.assertIsNone(token.last_used)
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            api(key).get("/api/v1/me/")
            token.refresh_from_db()
            self.assertEqual(token.last_used, start)
            clock.shift(datetime.timedelta(seconds=30))
            api(key).get("/api/v1/me/")
            token.refresh_from_db()
            self.assertEqual(token.last_used, start)
            clock.shift(datetime.timedelta(seconds=31))
            api(key).get("/api/v1/me/")
            token.refresh_from_db()
            self.assertEqual(token.last_used, start + datetime.timedelta(seconds=61))

    def test_a_token_follows_its_owners_role_at_that_moment(self) -> None:
        _token, key = issue_token(self.user, name="script")
        body = json.dumps(
            {
                "company": self.company.pk,
                "kind": "office",
                "street": "5 Elm",
                "city": "Dallas",
                "country": "US",
            }
        )
        created = api(key).post("/api/v1/addresses/", body, content_type="application/json")
        self.assertEqual(created.status_code, 201)
        Membership.objects.filter(user=self.user).update(role="viewer")
        refused = api(key).post("/api/v1/addresses/", body, content_type="application/json")
        self.assertEqual(refused.status_code, 400)  # the company is no longer one they may edit
        self.assertEqual(self.company.addresses.count(), 1)
        self.assertEqual(api(key).get("/api/v1/companies/").status_code, 200)


class TokenRevocationTests(AccountsTestCase):
    user: User
    manager: User
    company: Company

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("api@acme.test")
        cls.company = make_company("Acme Imports LLC")
        add_member(cls.company, cls.user, "user")
        cls.manager = make_user("admin@acme.test")
        add_member(cls.company, cls.manager, "admin")
        add_member(make_company("Second Co"), cls.user, "user")

    def test_a_password_reset_revokes_every_token(self) -> None:
        _token, key = issue_token(self.user, name="script")
        self.client.post(reverse("account_reset_password"), {"email": "api@acme.test"})
        page = self.client.get(first_link(mail.outbox[0].body), follow=True)
        new = "a-brand-new-passphrase-42"
        self.client.post(page.redirect_chain[-1][0], {"password1": new, "password2": new})
        self.assertFalse(APIToken.objects.filter(user=self.user).exists())
        self.assertEqual(api(key).get("/api/v1/me/").status_code, 401)

    def test_a_password_change_revokes_every_token(self) -> None:
        _token, key = issue_token(self.user, name="script")
        self.sign_in("api@acme.test", PASSWORD)
        new = "a-brand-new-passphrase-42"
        response = self.client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": new, "password2": new},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(api(key).get("/api/v1/me/").status_code, 401)

    def test_being_removed_from_a_company_on_the_page_revokes_every_token(self) -> None:
        _token, key = issue_token(self.user, name="script")
        sign_in(self.client, self.manager)
        membership = Membership.objects.get(user=self.user, company=self.company)
        self.client.post(reverse("companies:member-remove", args=[self.company.pk, membership.pk]))
        self.assertFalse(Membership.objects.filter(pk=membership.pk).exists())
        self.assertEqual(api(key).get("/api/v1/me/").status_code, 401)

    def test_being_removed_from_a_company_through_the_api_revokes_every_token(self) -> None:
        _token, key = issue_token(self.user, name="script")
        _mine, manager_key = issue_token(self.manager, name="admin script")
        membership = Membership.objects.get(user=self.user, company=self.company)
        response = api(manager_key).delete(f"/api/v1/memberships/{membership.pk}/")
        self.assertEqual(response.status_code, 204)
        self.assertEqual(api(key).get("/api/v1/me/").status_code, 401)
        self.assertEqual(api(manager_key).get("/api/v1/me/").status_code, 200)


class TokenMFATests(AccountsTestCase):
    """The API applies the pages' rule on every request: officers and program-office staff
    without an authenticator app are refused, whatever the age of the token."""

    user: User
    company: Company

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = make_user("api@acme.test")
        cls.company = make_company("Acme Imports LLC")
        add_member(cls.company, cls.user, "user")

    def assert_refused_for_mfa(self, response: Any) -> None:
        self.assertEqual(response.status_code, 403)
        self.assertIn("two-factor authentication", response.json()["detail"])

    def test_a_token_made_before_a_promotion_to_officer_is_refused_until_totp(self) -> None:
        _token, key = issue_token(self.user, name="script")
        self.assertEqual(api(key).get("/api/v1/companies/").status_code, 200)
        Membership.objects.filter(user=self.user).update(role="officer")
        self.assert_refused_for_mfa(api(key).get("/api/v1/companies/"))
        self.assert_refused_for_mfa(api(key).get("/api/v1/me/"))
        give_totp(self.user)
        self.assertEqual(api(key).get("/api/v1/companies/").status_code, 200)

    def test_program_office_without_totp_is_refused(self) -> None:
        specialist = make_user("specialist@cbp.test", program_role="specialist")
        _token, key = issue_token(specialist, name="script")
        self.assert_refused_for_mfa(api(key).get("/api/v1/companies/"))

    def test_creating_a_company_as_its_officer_does_not_escape_the_rule(self) -> None:
        _token, key = issue_token(self.user, name="script")
        created = api(key).post(
            "/api/v1/companies/",
            json.dumps(
                {
                    "legal_name": "Shell Co",
                    "business_type": "importer",
                    "country": "US",
                    "my_role": "officer",
                }
            ),
            content_type="application/json",
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertTrue(
            Membership.objects.filter(
                user=self.user, company__legal_name="Shell Co", role="officer"
            ).exists()
        )
        self.assert_refused_for_mfa(api(key).get("/api/v1/companies/"))
        self.assert_refused_for_mfa(
            api(key).patch(
                f"/api/v1/companies/{created.json()['id']}/",
                json.dumps({"dba": "Shell"}),
                content_type="application/json",
            )
        )
