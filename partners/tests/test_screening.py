"""Screening on create and import, the alert queue and remembered false positives."""

from __future__ import annotations

from typing import Any
from unittest import mock

from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import BusinessPartner, FalsePositive, PartnerImport, PartnerScreening
from portal.testing import PersonaTestCase
from screening_engine import Entity, ScreeningIndex

LISTED = Entity(
    list_id="ofac_sdn",
    entity_id="9001",
    type="organization",
    name="Naviera Oscura Internacional",
    countries=("PA",),
)
OTHER = Entity(list_id="csl", entity_id="77", type="organization", name="Tornillos Globales")
INDEX = ScreeningIndex([LISTED, OTHER])


def fake_index() -> tuple[ScreeningIndex, list[Any]]:
    return INDEX, []


@mock.patch("partners.workflow.active_index", fake_index)
class ScreeningTests(PersonaTestCase):
    def add(self, name: str) -> BusinessPartner:
        self.login("user")
        self.client.post(
            reverse("partners:partner-create", args=[self.company.pk]),
            {"name": name, "role": "sea_carrier", "country": "PA", "yearly_volume": 1},
        )
        return BusinessPartner.objects.get(name=name)

    def test_create_screens_and_a_listed_name_alerts_with_explanation(self) -> None:
        clean = self.add("Fletes Tranquilos")
        listed = self.add("Naviera Oscura Internacional")
        self.assertEqual(clean.screenings.get().status, "clear")
        screening = listed.screenings.get()
        self.assertEqual(screening.status, "alert")
        best = screening.hits[0]
        self.assertEqual((best["list"], best["entity_id"]), ("ofac_sdn", "9001"))
        self.assertTrue(best["explanation"]["summary"])
        queue = self.client.get(reverse("partners:alert-list", args=[self.company.pk]))
        self.assertContains(queue, "Naviera Oscura Internacional")
        self.assertNotContains(queue, "Fletes Tranquilos")

    def test_false_positive_is_remembered_for_that_partner_and_entity(self) -> None:
        partner = self.add("Naviera Oscura Internacional")
        screening = partner.screenings.get()
        url = reverse("partners:alert-decide", args=[self.company.pk, screening.pk])
        self.client.post(url, {"verdict": "false_positive", "reason": ""})
        screening.refresh_from_db()
        self.assertEqual(screening.status, "alert")  # a reason is required
        self.client.post(url, {"verdict": "false_positive", "reason": "Different address, RUC"})
        screening.refresh_from_db()
        self.assertEqual(
            (screening.status, screening.decided_by), ("false_positive", self.users["user"])
        )
        self.assertTrue(FalsePositive.objects.filter(partner=partner, entity_id="9001").exists())
        trail = LogEntry.objects.get_for_object(screening).first()
        assert trail is not None
        self.assertEqual(trail.actor, self.users["user"])
        self.assertIn("decision_reason", trail.changes_dict)
        from partners import workflow

        again = workflow.screen_partners([partner])[0]
        self.assertEqual(again.status, "clear")
        self.assertTrue(again.hits[0]["remembered"])

    def test_true_match_stays_recorded_and_remembers_nothing(self) -> None:
        partner = self.add("Naviera Oscura Internacional")
        screening = partner.screenings.get()
        self.client.post(
            reverse("partners:alert-decide", args=[self.company.pk, screening.pk]),
            {"verdict": "true_match", "reason": "Same vessel operator"},
        )
        screening.refresh_from_db()
        self.assertEqual(screening.status, "true_match")
        self.assertFalse(FalsePositive.objects.exists())
        page = self.client.get(partner.get_absolute_url())
        self.assertContains(page, "Same vessel operator")

    def test_import_screens_every_new_partner(self) -> None:
        self.login("user")
        self.client.post(
            reverse("partners:import-create", args=[self.company.pk]),
            {
                "file": SimpleUploadedFile(
                    "p.csv",
                    b"name,role,country\nNaviera Oscura Internacional,sea_carrier,PA\n"
                    b"Bodega Norte,warehouse,MX\n",
                )
            },
        )
        batch = PartnerImport.objects.get()
        self.client.post(reverse("partners:import-confirm", args=[self.company.pk, batch.pk]))
        self.assertEqual(
            dict(PartnerScreening.objects.values_list("partner__name", "status")),
            {"Naviera Oscura Internacional": "alert", "Bodega Norte": "clear"},
        )

    def test_renaming_a_partner_screens_it_again(self) -> None:
        partner = self.add("Fletes Tranquilos")
        self.client.post(
            reverse("partners:partner-edit", args=[self.company.pk, partner.pk]),
            {"name": "Naviera Oscura Internacional", "role": "sea_carrier", "country": "PA",
             "yearly_volume": 1},
        )  # fmt: skip
        self.assertEqual(partner.screenings.first().status, "alert")  # type: ignore[union-attr]
        self.assertEqual(partner.screenings.count(), 2)

    def test_the_api_screens_a_new_partner_as_the_page_does(self) -> None:
        from rest_framework.test import APIClient

        from accounts.tokens import issue_token

        page = self.add("Fletes Tranquilos")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(self.users['user'], name='t')[1]}")
        response = api.post(
            reverse("api:partner-list"),
            {"company": self.company.pk, "name": "Naviera Oscura Internacional", "role":
             "sea_carrier", "country": "PA", "yearly_volume": 1},
            format="json",
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)
        created = BusinessPartner.objects.get(pk=response.json()["id"])
        screening = created.screenings.get()
        self.assertEqual(screening.status, "alert")
        self.assertEqual(screening.hits[0]["entity_id"], "9001")
        self.assertEqual(screening.trigger, page.screenings.get().trigger)

    def test_the_api_screens_again_on_a_new_name_only(self) -> None:
        from rest_framework.test import APIClient

        from accounts.tokens import issue_token

        partner = self.add("Fletes Tranquilos")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(self.users['user'], name='t')[1]}")
        url = reverse("api:partner-detail", args=[partner.pk])
        api.patch(url, {"yearly_volume": 5}, format="json")
        self.assertEqual(partner.screenings.count(), 1)
        response = api.patch(url, {"name": "Naviera Oscura Internacional"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(partner.screenings.count(), 2)
        self.assertEqual(partner.screenings.first().status, "alert")  # type: ignore[union-attr]

    def test_viewer_cannot_decide(self) -> None:
        partner = self.add("Naviera Oscura Internacional")
        screening = partner.screenings.get()
        self.login("viewer")
        response = self.client.post(
            reverse("partners:alert-decide", args=[self.company.pk, screening.pk]),
            {"verdict": "false_positive", "reason": "x"},
        )
        self.assertEqual(response.status_code, 404)
        screening.refresh_from_db()
        self.assertEqual(screening.status, "alert")
