"""The partner directory: tiers, duplicates, filters, export, create retries, API."""

from __future__ import annotations

import uuid

from django.urls import reverse

from partners.models import BusinessPartner, compute_tier, normalise_name
from portal.testing import PersonaTestCase


class TierTests(PersonaTestCase):
    def test_formula_weighs_role_country_and_volume(self) -> None:
        # carrier 3 + Mexico 2 + 600 shipments 3 = 8 -> high
        self.assertEqual(compute_tier("highway_carrier", "MX", 600), "high")
        # broker 1 + Canada 1 + 60 shipments 2 = 4 -> low
        self.assertEqual(compute_tier("customs_broker", "CA", 60), "low")
        # forwarder 2 + Canada 1 + 100 shipments 2 = 5 -> medium
        self.assertEqual(compute_tier("forwarder", "CA", 100), "medium")

    def test_override_needs_a_reason_and_wins_over_the_computed_tier(self) -> None:
        self.login("user")
        url = reverse("partners:partner-create", args=[self.company.pk])
        data = {
            "name": "Aduanas del Golfo",
            "role": "customs_broker",
            "country": "CA",
            "yearly_volume": 10,
            "tier_override": "high",
        }
        response = self.client.post(url, data)
        self.assertContains(response, "tier_override_reason")
        self.assertFalse(BusinessPartner.objects.exists())
        self.client.post(url, {**data, "tier_override_reason": "Handles our high-value goods"})
        partner = BusinessPartner.objects.get()
        self.assertEqual((partner.computed_tier, partner.tier), ("low", "high"))


class DirectoryTests(PersonaTestCase):
    def create(self, **fields: object) -> BusinessPartner:
        defaults: dict[str, object] = {
            "company": self.company,
            "role": "manufacturer",
            "country": "MX",
        }
        defaults.update(fields)
        return BusinessPartner.objects.create(**defaults)

    def test_same_name_in_another_form_is_a_duplicate(self) -> None:
        self.assertEqual(normalise_name("Maquilas Núñez, S.A. de C.V."), "maquilas nunez")
        self.create(name="Maquilas Nuñez SA de CV")
        self.login("user")
        response = self.client.post(
            reverse("partners:partner-create", args=[self.company.pk]),
            {"name": "MAQUILAS NUNEZ", "role": "manufacturer", "country": "MX", "yearly_volume": 0},
        )
        self.assertContains(response, "already exists")
        self.assertEqual(BusinessPartner.objects.count(), 1)

    def test_double_submit_creates_one_partner(self) -> None:
        self.login("user")
        url = reverse("partners:partner-create", args=[self.company.pk])
        data = {
            "name": "Bodega Central",
            "role": "warehouse",
            "country": "MX",
            "yearly_volume": 3,
            "submission_key": str(uuid.uuid4()),
        }
        first = self.client.post(url, data)
        second = self.client.post(url, data)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(BusinessPartner.objects.count(), 1)

    def test_relationship_owner_must_belong_to_the_company(self) -> None:
        self.login("user")
        response = self.client.post(
            reverse("partners:partner-create", args=[self.company.pk]),
            {
                "name": "Bodega Central",
                "role": "warehouse",
                "country": "MX",
                "yearly_volume": 0,
                "relationship_owner": self.users["other"].pk,
            },
        )
        self.assertContains(response, "relationship_owner")
        self.assertFalse(BusinessPartner.objects.exists())

    def test_filters_and_export_show_only_matching_partners_of_this_company(self) -> None:
        self.create(name="Fletes Rápidos", role="highway_carrier")
        self.create(name="Aduanas Sur", role="customs_broker")
        BusinessPartner.objects.create(
            company=self.other_company, name="Secret Co", role="agent", country="US"
        )
        self.login("viewer")
        url = reverse("partners:partner-list", args=[self.company.pk])
        response = self.client.get(url, {"role": "highway_carrier"})
        self.assertContains(response, "Fletes Rápidos")
        self.assertNotContains(response, "Aduanas Sur")
        export = self.client.get(reverse("partners:partner-export", args=[self.company.pk]))
        body = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("Fletes Rápidos", body)
        self.assertIn("Aduanas Sur", body)
        self.assertNotIn("Secret Co", body)

    def test_search_finds_part_of_a_name_or_tax_id_in_this_company_only(self) -> None:
        self.create(name="Transportes Zamora", tax_id="TZA-880101")
        self.create(name="Aduanas Sur", tax_id="ASU-770202")
        BusinessPartner.objects.create(
            company=self.other_company, name="Zamora Secret", role="agent", country="US"
        )
        self.login("viewer")
        url = reverse("partners:partner-list", args=[self.company.pk])
        for words, found in [("ZAMORA", "Transportes Zamora"), ("770202", "Aduanas Sur")]:
            response = self.client.get(url, {"q": words})
            self.assertContains(response, found)
            self.assertNotContains(response, "Secret")
        response = self.client.get(url, {"q": "portes zam"})
        self.assertContains(response, "Transportes Zamora")
        self.assertNotContains(response, "Aduanas Sur")
        api = self.client.get(
            reverse("api:partner-list"), {"q": "sur", "company": str(self.company.pk)}
        )
        self.assertEqual([r["name"] for r in api.json()["results"]], ["Aduanas Sur"])

    def test_other_company_partner_answers_404(self) -> None:
        theirs = BusinessPartner.objects.create(
            company=self.other_company, name="Secret Co", role="agent", country="US"
        )
        self.login("admin")
        response = self.client.get(
            reverse("partners:partner-detail", args=[self.company.pk, theirs.pk])
        )
        self.assertEqual(response.status_code, 404)

    def test_api_recomputes_the_tier_and_names_bad_fields(self) -> None:
        partner = self.create(name="Maquila Norte", yearly_volume=0)
        self.login("user")
        url = reverse("api:partner-detail", args=[partner.pk])
        response = self.client.patch(url, {"yearly_volume": 900}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["tier"], "high")
        bad = self.client.patch(url, {"role": "pirate"}, content_type="application/json")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("role", bad.json())
