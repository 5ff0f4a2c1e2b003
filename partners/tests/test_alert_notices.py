"""A screening alert reaches the company's officer and administrators: one notice for a
partner added by hand, one notice for a whole import however many alerts it raised."""

from __future__ import annotations

from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notices.models import Notice
from partners.models import PartnerImport
from partners.tests.test_screening import fake_index
from portal.testing import PersonaTestCase


@mock.patch("partners.workflow.active_index", fake_index)
class AlertNoticeTests(PersonaTestCase):
    def add(self, name: str) -> None:
        self.login("user")
        self.client.post(
            reverse("partners:partner-create", args=[self.company.pk]),
            {"name": name, "role": "sea_carrier", "country": "PA", "yearly_volume": 1},
        )

    def test_an_alert_on_a_new_partner_is_one_notice_linking_to_the_alerts(self) -> None:
        self.add("Fletes Tranquilos")
        self.assertFalse(Notice.objects.exists())
        self.add("Naviera Oscura Internacional")
        notices = Notice.objects.filter(kind="screening_alert")
        self.assertEqual(
            sorted(n.user.email for n in notices), ["admin@acme.test", "officer@acme.test"]
        )
        notice = notices.first()
        assert notice is not None
        self.assertEqual(
            notice.title, "Screening alert: Naviera Oscura Internacional may be on a watchlist"
        )
        self.assertEqual(notice.url, reverse("partners:alert-list", args=[self.company.pk]))

    def test_an_import_raising_two_alerts_is_one_notice(self) -> None:
        self.login("user")
        self.client.post(
            reverse("partners:import-create", args=[self.company.pk]),
            {
                "file": SimpleUploadedFile(
                    "p.csv",
                    b"name,role,country\nNaviera Oscura Internacional,sea_carrier,PA\n"
                    b"Tornillos Globales,sea_carrier,MX\nBodega Norte,warehouse,MX\n",
                )
            },
        )
        batch = PartnerImport.objects.get()
        self.client.post(reverse("partners:import-confirm", args=[self.company.pk, batch.pk]))
        [notice] = Notice.objects.filter(kind="screening_alert", user=self.users["officer"])
        self.assertEqual(notice.title, "2 screening alerts raised on your business partners")
