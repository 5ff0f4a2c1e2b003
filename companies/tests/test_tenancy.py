"""Tenancy as a member sees it: the consultant's company switcher, and another
company's records answering 404 in pages and API."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import override_settings
from django.urls import reverse

from companies.models import Address
from portal.testing import PersonaTestCase

FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST
class ConsultantTests(PersonaTestCase):
    def test_switcher_lists_exactly_the_consultants_two_companies(self) -> None:
        self.login("consultant")
        page = self.client.get(reverse("companies:company-list"))
        switcher = re.search(
            r'data-testid="company-switcher">.*?</ul>', page.content.decode(), re.S
        )
        assert switcher
        names = re.findall(r'/companies/(\d+)/">([^<]+)<', switcher.group(0))
        self.assertEqual(
            sorted(names),
            sorted(
                [
                    (str(self.company.pk), self.company.legal_name),
                    (str(self.third_company.pk), self.third_company.legal_name),
                ]
            ),
        )

    def test_switcher_follows_the_company_being_worked_on(self) -> None:
        self.login("consultant")
        for company in (self.company, self.third_company):
            page = self.client.get(reverse("companies:company-detail", args=[company.pk]))
            self.assertContains(
                page, f'data-testid="company-switcher">{company.legal_name}</summary>'
            )

    def test_consultant_edits_in_both_companies(self) -> None:
        self.login("consultant")
        for company in (self.company, self.third_company):
            with self.subTest(company=company.legal_name):
                response = self.client.post(
                    reverse("companies:address-list", args=[company.pk]),
                    {
                        "kind": "facility",
                        "street": "9 Yard Rd",
                        "city": "Reno",
                        "country": "US",
                        "staffed": "on",
                    },
                )
                self.assertEqual(response.status_code, 302)
                self.assertTrue(Address.objects.filter(company=company, city="Reno").exists())

    def test_consultant_cannot_reach_a_company_they_do_not_serve(self) -> None:
        self.login("consultant")
        url = reverse("companies:company-detail", args=[self.other_company.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


@FAST
class OtherCompanyIsInvisibleTests(PersonaTestCase):
    theirs: Address

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.theirs = Address.objects.create(
            company=cls.other_company,
            kind="headquarters",
            street="Av. Reforma 1",
            city="Monterrey",
            country="MX",
        )

    def test_pages_answer_404(self) -> None:
        self.login("admin")
        other, obj = self.other_company.pk, self.theirs.pk
        for method, url in [
            ("get", reverse("companies:company-detail", args=[other])),
            ("get", reverse("companies:company-edit", args=[other])),
            ("get", reverse("companies:address-list", args=[other])),
            ("get", reverse("companies:address-edit", args=[other, obj])),
            ("post", reverse("companies:address-delete", args=[other, obj])),
            # Our company in the path does not unlock their record.
            ("get", reverse("companies:address-edit", args=[self.company.pk, obj])),
            ("post", reverse("companies:address-delete", args=[self.company.pk, obj])),
            ("get", reverse("companies:audit-log", args=[other])),
        ]:
            with self.subTest(method=method, url=url):
                self.assertEqual(getattr(self.client, method)(url).status_code, 404)
        self.assertTrue(Address.objects.filter(pk=obj).exists())

    def test_api_answers_404_and_lists_only_our_records(self) -> None:
        self.login("admin")
        url = reverse("api:address-detail", args=[self.theirs.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        patch = self.client.patch(url, json.dumps({"city": "X"}), content_type="application/json")
        self.assertEqual(patch.status_code, 404)
        self.assertEqual(self.client.delete(url).status_code, 404)
        listed = self.client.get(reverse("api:address-list")).json()["results"]
        self.assertNotIn(self.theirs.pk, [a["id"] for a in listed])
        company = self.client.get(reverse("api:company-detail", args=[self.other_company.pk]))
        self.assertEqual(company.status_code, 404)
        self.theirs.refresh_from_db()
        self.assertEqual(self.theirs.city, "Monterrey")

    def post_address(self, company_pk: int) -> Any:
        return self.client.post(
            reverse("api:address-list"),
            json.dumps(
                {
                    "company": company_pk,
                    "kind": "facility",
                    "street": "1 Dock",
                    "city": "Reno",
                    "country": "US",
                }
            ),
            content_type="application/json",
        )

    def test_api_refuses_an_address_for_a_company_the_user_cannot_edit(self) -> None:
        for persona, company in [
            ("admin", self.other_company),
            ("viewer", self.company),
            ("specialist", self.company),
        ]:
            with self.subTest(persona=persona):
                self.login(persona)
                response = self.post_address(company.pk)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn("company", response.json())
                self.assertFalse(Address.objects.filter(city="Reno").exists())

    def test_api_creates_an_address_for_our_company(self) -> None:
        self.login("user")
        response = self.post_address(self.company.pk)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Address.objects.get(city="Reno").company, self.company)
