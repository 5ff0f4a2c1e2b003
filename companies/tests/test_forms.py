"""Company forms: a retried or double-clicked create does nothing twice, and bad input
is answered with a message naming the field and what would be accepted."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from companies.models import Address, Company, Identifier, Membership
from portal.testing import PersonaTestCase, make_company

FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST
class DuplicateSubmissionTests(PersonaTestCase):
    def test_company_form_posted_twice_creates_one_company_and_one_membership(self) -> None:
        self.login("user")
        key = str(uuid.uuid4())
        data = {
            "legal_name": "Twice Clicked LLC",
            "business_type": "importer",
            "country": "US",
            "language": "en",
            "my_role": "admin",
            "submission_key": key,
        }
        first = self.client.post(reverse("companies:company-create"), data)
        second = self.client.post(reverse("companies:company-create"), data)
        company = Company.objects.get(legal_name="Twice Clicked LLC")
        self.assertEqual(Membership.objects.filter(company=company).count(), 1)
        self.assertRedirects(first, company.get_absolute_url(), fetch_redirect_response=False)
        self.assertRedirects(second, company.get_absolute_url(), fetch_redirect_response=False)

    def test_transport_modes_ticked_on_creation_are_kept(self) -> None:
        self.login("user")
        self.client.post(
            reverse("companies:company-create"),
            {
                "legal_name": "Mode Keeper SA",
                "business_type": "importer",
                "country": "US",
                "language": "en",
                "my_role": "admin",
                "transport_modes": ["ocean", "air"],
                "submission_key": str(uuid.uuid4()),
            },
        )
        company = Company.objects.get(legal_name="Mode Keeper SA")
        self.assertEqual(sorted(company.transport_modes), ["air", "ocean"])

    def test_a_new_form_with_a_new_key_creates_another_company(self) -> None:
        self.login("user")
        for _ in range(2):
            self.client.post(
                reverse("companies:company-create"),
                {
                    "legal_name": "Chain Stores",
                    "business_type": "importer",
                    "country": "US",
                    "language": "en",
                    "my_role": "admin",
                    "submission_key": str(uuid.uuid4()),
                },
            )
        self.assertEqual(Company.objects.filter(legal_name="Chain Stores").count(), 2)

    def test_address_form_posted_twice_creates_one_address(self) -> None:
        self.login("user")
        url = reverse("companies:address-list", args=[self.company.pk])
        data = {
            "kind": "warehouse",
            "street": "7 Bay St",
            "city": "Tacoma",
            "country": "US",
            "staffed": "on",
            "submission_key": str(uuid.uuid4()),
        }
        first = self.client.post(url, data)
        second = self.client.post(url, data)
        self.assertEqual(Address.objects.filter(company=self.company, city="Tacoma").count(), 1)
        self.assertRedirects(first, url)
        self.assertRedirects(second, url)

    def test_identifier_posted_twice_answers_the_retry_with_the_first_result(self) -> None:
        # The retry's data now duplicates the saved identifier; it must not show an error.
        self.login("user")
        url = reverse("companies:identifier-list", args=[self.company.pk])
        data = {"kind": "scac", "value": "ABCD", "submission_key": str(uuid.uuid4())}
        self.assertRedirects(self.client.post(url, data), url)
        self.assertRedirects(self.client.post(url, data), url)
        self.assertEqual(Identifier.objects.filter(company=self.company).count(), 1)

    def test_invalid_first_post_does_not_burn_the_key(self) -> None:
        self.login("user")
        url = reverse("companies:address-list", args=[self.company.pk])
        key = str(uuid.uuid4())
        bad = self.client.post(
            url,
            {
                "kind": "warehouse",
                "street": "",
                "city": "Tacoma",
                "country": "US",
                "submission_key": key,
            },
        )
        self.assertEqual(bad.status_code, 200)
        self.client.post(
            url,
            {
                "kind": "warehouse",
                "street": "7 Bay St",
                "city": "Tacoma",
                "country": "US",
                "submission_key": key,
            },
        )
        self.assertTrue(Address.objects.filter(company=self.company, city="Tacoma").exists())

    def test_create_page_carries_a_submission_key(self) -> None:
        self.login("user")
        page = self.client.get(reverse("companies:company-create"))
        self.assertContains(page, 'name="submission_key"')


@FAST
class ValidationTests(PersonaTestCase):
    def test_identifier_form_explains_a_bad_scac(self) -> None:
        self.login("user")
        page = self.client.post(
            reverse("companies:identifier-list", args=[self.company.pk]),
            {"kind": "scac", "value": "AB12"},
        )
        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            page.context["form"].errors["value"],
            ["A SCAC is exactly 4 letters; for example ABCD. You entered “AB12”."],
        )
        self.assertFalse(Identifier.objects.filter(company=self.company).exists())

    def test_identifier_form_saves_the_canonical_form(self) -> None:
        self.login("user")
        self.client.post(
            reverse("companies:identifier-list", args=[self.company.pk]),
            {"kind": "scac", "value": "abcd"},
        )
        self.assertEqual(Identifier.objects.get(company=self.company).value, "ABCD")

    def test_same_identifier_twice_is_refused(self) -> None:
        Identifier.objects.create(company=self.company, kind="scac", value="ABCD")
        self.login("user")
        page = self.client.post(
            reverse("companies:identifier-list", args=[self.company.pk]),
            {"kind": "scac", "value": "abcd"},
        )
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.context["form"].errors)
        self.assertEqual(Identifier.objects.filter(company=self.company).count(), 1)

    def test_empty_post_shows_the_required_fields(self) -> None:
        self.login("user")
        page = self.client.post(reverse("companies:company-create"), {})
        self.assertEqual(page.status_code, 200)
        self.assertIn("legal_name", page.context["form"].errors)
        self.assertIn("business_type", page.context["form"].errors)

    def test_business_subtype_rules(self) -> None:
        cases = [
            # (business type, sub-type, error or None)
            ("highway_carrier", "us_mexico", None),
            ("highway_carrier", "us_canada", None),
            ("highway_carrier", "", "U.S./Canada border, U.S./Mexico border"),
            ("highway_carrier", "nvocc", "U.S./Canada border, U.S./Mexico border"),
            ("consolidator", "oti", None),
            (
                "consolidator",
                "",
                "Air freight consolidator, Ocean transportation intermediary, NVOCC",
            ),
            ("marine_port_terminal", "mpto_foreign", None),
            ("marine_port_terminal", "us_canada", "U.S.-based, Foreign-based"),
            ("importer", "", None),
            ("importer", "oti", "no sub-types"),
            ("customs_broker", "mpto_us", "no sub-types"),
        ]
        for business_type, subtype, error in cases:
            with self.subTest(business_type=business_type, subtype=subtype):
                company = Company(
                    legal_name="X",
                    business_type=business_type,
                    business_subtype=subtype,
                    country="US",
                )
                if error is None:
                    company.full_clean()
                    continue
                with self.assertRaises(ValidationError) as caught:
                    company.full_clean()
                self.assertIn(error, caught.exception.message_dict["business_subtype"][0])

    def test_unknown_transport_mode_is_named(self) -> None:
        company = make_company("Modes Co")
        company.transport_modes = ["truck", "teleport"]
        with self.assertRaises(ValidationError) as caught:
            company.full_clean()
        message = caught.exception.message_dict["transport_modes"][0]
        self.assertIn("teleport", message)
        self.assertIn("ocean", message)
