"""A partner created or renamed once through its page and once through the API writes the
same rows: the partner, a screening, the audit entries (both call
`partners.workflow.save_partner`)."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.urls import reverse

from partners.models import BusinessPartner, PartnerScreening
from partners.tests.test_screening import fake_index
from portal.testing import PersonaTestCase, written

FIELDS = {"role": "sea_carrier", "country": "PA", "yearly_volume": 1}
TABLES = (BusinessPartner, PartnerScreening)


@mock.patch("partners.workflow.active_index", fake_index)
class PartnerParityTests(PersonaTestCase):
    def create_page(self, name: str) -> BusinessPartner:
        self.login("user")
        url = reverse("partners:partner-create", args=[self.company.pk])
        self.assertEqual(self.client.post(url, {"name": name, **FIELDS}).status_code, 302)
        return BusinessPartner.objects.get(name=name)

    def create_api(self, name: str) -> BusinessPartner:
        data: dict[str, Any] = {"company": self.company.pk, "name": name, **FIELDS}
        answer = self.api_as("user").post(reverse("api:partner-list"), data, format="json")
        self.assertEqual(answer.status_code, 201, answer.content)
        return BusinessPartner.objects.get(pk=answer.json()["id"])

    def test_a_new_partner_is_saved_and_screened_the_same_way(self) -> None:
        with written(*TABLES) as page:
            by_page = self.create_page("Naviera Oscura Internacional")
        with written(*TABLES) as api:
            by_api = self.create_api("Tornillos Globales")
        self.assertEqual(page.rows, {"partners.BusinessPartner": 1, "partners.PartnerScreening": 1})
        self.assertEqual(page, api)
        self.assertIn("partners.businesspartner:create", page.audit)
        self.assertEqual(by_page.screenings.get().status, by_api.screenings.get().status)

    def test_a_rename_screens_again_and_another_edit_does_not_on_both_sides(self) -> None:
        partner = self.create_page("Fletes Tranquilos")
        self.login("user")
        edit = reverse("partners:partner-edit", args=[self.company.pk, partner.pk])
        detail = reverse("api:partner-detail", args=[partner.pk])
        form = {"name": "Fletes Tranquilos", **FIELDS, "yearly_volume": 2}
        with written(*TABLES) as page_volume:
            self.client.post(edit, form)
        with written(*TABLES) as api_volume:
            self.api_as("user").patch(detail, {"yearly_volume": 3}, format="json")
        self.assertEqual(
            page_volume.rows, {"partners.BusinessPartner": 0, "partners.PartnerScreening": 0}
        )
        self.assertEqual(page_volume, api_volume)
        with written(*TABLES) as page_name:
            self.client.post(edit, {**form, "name": "Naviera Oscura Internacional"})
        with written(*TABLES) as api_name:
            self.api_as("user").patch(detail, {"name": "Fletes Tranquilos"}, format="json")
        self.assertEqual(page_name.rows["partners.PartnerScreening"], 1)
        self.assertEqual(page_name, api_name)
        self.assertIn("partners.businesspartner:update", page_name.audit)
        self.assertEqual(partner.screenings.count(), 3)
