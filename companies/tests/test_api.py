"""The company API beyond tenancy: creating a company makes you its member, people join
only through invitations (a membership's person and company never change), and the API
applies the same model rules as the forms."""

from __future__ import annotations

import json
from typing import Any

from django.test import override_settings
from django.urls import reverse

from companies.models import Company, Identifier, Membership
from portal.testing import PersonaTestCase, make_user

FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST
class CompanyAPITests(PersonaTestCase):
    def post(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def test_any_signed_in_user_creates_a_company_and_becomes_its_member(self) -> None:
        newcomer = make_user("new@startup.test")
        self.client.force_login(newcomer)
        response = self.post(
            reverse("api:company-list"),
            {
                "legal_name": "Startup Freight LLC",
                "business_type": "highway_carrier",
                "business_subtype": "us_canada",
                "country": "US",
                "my_role": "officer",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        company = Company.objects.get(legal_name="Startup Freight LLC")
        self.assertEqual(response.json()["id"], company.pk)
        self.assertEqual(response.json()["account_number"], company.account_number)
        self.assertEqual(company.role_of(newcomer), "officer")

    def test_default_role_is_admin(self) -> None:
        self.login("viewer")
        response = self.post(
            reverse("api:company-list"),
            {
                "legal_name": "Second Co",
                "business_type": "importer",
                "country": "US",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            Company.objects.get(legal_name="Second Co").role_of(self.users["viewer"]), "admin"
        )

    def test_bad_subtype_is_refused_naming_the_field(self) -> None:
        self.login("user")
        response = self.post(
            reverse("api:company-list"),
            {
                "legal_name": "Bad Co",
                "business_type": "highway_carrier",
                "country": "US",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("U.S./Canada border", response.json()["business_subtype"][0])
        self.assertFalse(Company.objects.filter(legal_name="Bad Co").exists())
        self.assertFalse(Membership.objects.filter(company__legal_name="Bad Co").exists())

    def test_program_office_cannot_edit_a_company(self) -> None:
        self.login("specialist")
        url = reverse("api:company-detail", args=[self.company.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        patch = self.client.patch(url, json.dumps({"dba": "X"}), content_type="application/json")
        self.assertEqual(patch.status_code, 404)


@FAST
@FAST
class CountriesOfOriginAPITests(PersonaTestCase):
    """A company's countries of origin (a multiple-country field) in the API. Listing a
    company that had any answered 500, and the program office's list always did."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.company.countries_of_origin = ["MX", "CN"]
        cls.company.save()

    def test_members_list_their_company_with_its_countries_of_origin_as_codes(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("api:company-list"))
        self.assertEqual(response.status_code, 200, response.content)
        [company] = response.json()["results"]
        self.assertEqual(sorted(company["countries_of_origin"]), ["CN", "MX"])

    def test_one_company_shows_its_countries_of_origin(self) -> None:
        self.login("officer")
        response = self.client.get(reverse("api:company-detail", args=[self.company.pk]))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(sorted(response.json()["countries_of_origin"]), ["CN", "MX"])

    def test_program_office_lists_every_company(self) -> None:
        self.login("specialist")
        response = self.client.get(reverse("api:company-list"))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["count"], Company.objects.count())

    def test_countries_of_origin_are_written_as_a_list_of_codes(self) -> None:
        self.login("officer")
        response = self.client.patch(
            reverse("api:company-detail", args=[self.company.pk]),
            json.dumps({"countries_of_origin": ["VN", "DE"]}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.company.refresh_from_db()
        self.assertEqual(sorted(c.code for c in self.company.countries_of_origin), ["DE", "VN"])

    def test_unknown_or_blank_country_is_refused_naming_the_field(self) -> None:
        self.login("officer")
        for bad in (["XX"], [""], "MX"):
            response = self.client.patch(
                reverse("api:company-detail", args=[self.company.pk]),
                json.dumps({"countries_of_origin": bad}),
                content_type="application/json",
            )
            self.assertEqual(response.status_code, 400, (bad, response.content))
            self.assertIn("countries_of_origin", response.json())


class MembershipAPITests(PersonaTestCase):
    def add(self, company: Company, user_pk: int, role: str = "viewer") -> Any:
        return self.client.post(
            reverse("api:membership-list"),
            json.dumps({"company": company.pk, "user": user_pk, "role": role}),
            content_type="application/json",
        )

    def test_posting_a_user_id_adds_nobody_and_reveals_no_email(self) -> None:
        stranger = make_user("stranger@elsewhere.test")
        self.login("admin")
        response = self.add(self.company, stranger.pk, "officer")
        self.assertEqual(response.status_code, 405, response.content)
        self.assertNotIn(b"stranger@elsewhere.test", response.content)
        self.assertIsNone(self.company.role_of(stranger))

    def test_a_manager_of_two_companies_cannot_move_a_member_between_them(self) -> None:
        # The consultant's third company: make them its manager, then try to carry the
        # main company's viewer over without an invitation.
        Membership.objects.filter(company=self.third_company).update(role="admin")
        Membership.objects.filter(company=self.company, role="consultant").update(role="admin")
        viewer = self.company.memberships.get(role="viewer")
        self.login("consultant")
        response = self.client.patch(
            reverse("api:membership-detail", args=[viewer.pk]),
            json.dumps({"company": self.third_company.pk, "user": self.users["admin"].pk}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        viewer.refresh_from_db()
        self.assertEqual((viewer.company, viewer.user), (self.company, self.users["viewer"]))
        self.assertIsNone(self.third_company.role_of(self.users["viewer"]))

    def test_manager_changes_a_role_through_the_api(self) -> None:
        viewer = self.company.memberships.get(role="viewer")
        self.login("admin")
        response = self.client.patch(
            reverse("api:membership-detail", args=[viewer.pk]),
            json.dumps({"role": "user"}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["role"], "user")
        self.assertEqual(self.company.role_of(self.users["viewer"]), "user")

    def test_members_list_only_memberships_of_their_companies(self) -> None:
        self.login("viewer")
        rows = self.client.get(reverse("api:membership-list")).json()["results"]
        self.assertEqual({r["company"] for r in rows}, {self.company.pk})


@FAST
class IdentifierAPITests(PersonaTestCase):
    def post(self, kind: str, value: str) -> Any:
        return self.client.post(
            reverse("api:identifier-list"),
            json.dumps({"company": self.company.pk, "kind": kind, "value": value}),
            content_type="application/json",
        )

    def test_value_is_stored_in_its_canonical_form(self) -> None:
        self.login("user")
        response = self.post("scac", " abcd ")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["value"], "ABCD")
        self.assertEqual(Identifier.objects.get(company=self.company).value, "ABCD")

    def test_bad_format_names_the_field_and_the_format(self) -> None:
        self.login("user")
        response = self.post("scac", "AB1")
        self.assertEqual(response.status_code, 400)
        self.assertIn("exactly 4 letters", response.json()["value"][0])

    def test_duplicate_in_another_spelling_is_refused(self) -> None:
        self.login("user")
        self.assertEqual(self.post("scac", "ABCD").status_code, 201)
        response = self.post("scac", "abcd")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(Identifier.objects.filter(company=self.company).count(), 1)
