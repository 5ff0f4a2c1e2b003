"""Large imports are screened in the background; the import page follows the progress."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from partners import workflow
from partners.models import BusinessPartner, PartnerImport, PartnerScreening
from portal.testing import PersonaTestCase
from screening_engine import Entity, ScreeningIndex

INDEX = ScreeningIndex(
    [
        Entity(
            list_id="ofac_sdn", entity_id="9001", type="organization",
            name="Naviera Oscura Internacional", countries=("PA",),
        ),
        Entity(list_id="csl", entity_id="77", type="organization", name="Tornillos Globales"),
    ]
)  # fmt: skip


def fake_index() -> tuple[ScreeningIndex, list[Any]]:
    return INDEX, []


FILE = (
    b"name,role,country\nNaviera Oscura Internacional,sea_carrier,PA\n"
    b"Bodega Norte,warehouse,MX\nFletes del Golfo,highway_carrier,MX\n"
)


@override_settings(PARTNER_IMPORT_BACKGROUND_ROWS=2)
class BackgroundImportTests(PersonaTestCase):
    def setUp(self) -> None:
        patcher = mock.patch("partners.workflow.active_index", fake_index)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.login("user")
        self.client.post(
            reverse("partners:import-create", args=[self.company.pk]),
            {"file": SimpleUploadedFile("p.csv", FILE)},
        )
        self.batch = PartnerImport.objects.get()
        self.progress = reverse("partners:import-progress", args=[self.company.pk, self.batch.pk])

    def test_the_task_screens_every_partner_and_the_page_shows_the_result(self) -> None:
        response = self.client.post(
            reverse("partners:import-confirm", args=[self.company.pk, self.batch.pk])
        )
        self.assertRedirects(response, self.batch.get_absolute_url())
        self.batch.refresh_from_db()
        self.assertEqual((self.batch.screened_count, self.batch.alert_count), (3, 1))
        self.assertIsNotNone(self.batch.screening_finished_at)
        self.assertEqual(
            set(PartnerScreening.objects.values_list("trigger", flat=True)), {"import"}
        )
        page = self.client.get(self.batch.get_absolute_url())
        self.assertContains(page, "3 / 3 partners screened, 1 alerts so far.")
        self.assertContains(page, "Screening finished.")
        self.assertNotContains(page, "hx-trigger")  # nothing left to poll

    def test_the_fragment_polls_while_the_task_runs_and_a_rerun_skips_screened(self) -> None:
        from partners import importing

        partners = importing.write_rows(self.company, self.batch.rows)
        workflow.screen_partners(partners[:1])  # screened by an interrupted run
        PartnerImport.objects.filter(pk=self.batch.pk).update(
            status="done", rows=[], screening_total=3, screened_count=1,
            pending_partner_ids=[p.pk for p in partners],
        )  # fmt: skip
        fragment = self.client.get(self.progress)
        self.assertContains(fragment, 'hx-trigger="every 2s"')
        self.assertContains(fragment, "1 / 3 partners screened")
        workflow.screen_import(self.batch.pk)
        self.assertEqual(PartnerScreening.objects.count(), 3)  # none screened twice
        fragment = self.client.get(self.progress)
        self.assertContains(fragment, "3 / 3 partners screened")
        self.assertNotContains(fragment, "hx-trigger")

    def test_small_files_stay_synchronous_and_others_see_404(self) -> None:
        with override_settings(PARTNER_IMPORT_BACKGROUND_ROWS=500):
            response = self.client.post(
                reverse("partners:import-confirm", args=[self.company.pk, self.batch.pk])
            )
        self.assertRedirects(response, self.batch.get_absolute_url())
        self.batch.refresh_from_db()
        self.assertEqual(self.batch.screening_total, 0)
        self.assertEqual(BusinessPartner.objects.filter(screenings__isnull=False).count(), 3)
        self.login("other")
        self.assertEqual(self.client.get(self.progress).status_code, 404)
        self.login("viewer")
        self.assertEqual(self.client.get(self.progress).status_code, 404)
