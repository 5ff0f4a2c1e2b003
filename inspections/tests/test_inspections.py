from __future__ import annotations

import base64
import datetime
import io
import json
import shutil
import tempfile
import uuid
from typing import Any

import pypdf
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from inspections.evidence import evidence_for
from inspections.kpis import _monthly, monthly
from inspections.models import GateEntry, Inspection
from portal.testing import PersonaTestCase

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
# Queries of the operations page: bench/operations.py pins the same number.
PAGE_QUERIES = 8
ALL_POINTS = [
    "front_wall",
    "left_side",
    "right_side",
    "floor",
    "ceiling_roof",
    "doors",
    "undercarriage",
]


def form_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_key": str(uuid.uuid4()),
        "iit_number": "MSCU1234565",
        "direction": "outbound",
        "performed_at": "2026-03-02T10:30",
        "pest_checked": "on",
        "seal_number": "MX0000001",
        "vvtt_view": "on",
        "vvtt_verify": "on",
        "vvtt_tug": "on",
        "vvtt_twist": "on",
    }
    for key in ALL_POINTS:
        data[f"point-{key}-result"] = "pass"
    data.update(extra)
    return data


class MediaMixin:
    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, True)  # type: ignore[attr-defined]
        override = override_settings(MEDIA_ROOT=media)
        override.enable()
        self.addCleanup(override.disable)  # type: ignore[attr-defined]


class InspectionRecordTests(MediaMixin, PersonaTestCase):
    def url(self, checklist: str = "container") -> str:
        return reverse("inspections:inspection-create", args=[self.company.pk, checklist])

    def test_an_inspection_keeps_every_point_in_order(self) -> None:
        self.login("user")
        response = self.client.post(self.url(), form_data())
        inspection = Inspection.objects.get()
        self.assertRedirects(response, inspection.get_absolute_url())
        self.assertEqual(list(inspection.results.values_list("key", flat=True)), ALL_POINTS)
        self.assertTrue(inspection.is_complete)
        self.assertTrue(inspection.passed)
        self.assertEqual(inspection.inspector, self.users["user"])

    def test_a_resent_inspection_is_recorded_once(self) -> None:
        self.login("user")
        data = form_data()
        first = self.client.post(self.url(), data, HTTP_ACCEPT="application/json")
        again = self.client.post(self.url(), data, HTTP_ACCEPT="application/json")
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertEqual(first.json()["url"], again.json()["url"])
        self.assertFalse(again.json()["created"])
        self.assertEqual(Inspection.objects.count(), 1)

    def test_errors_name_the_field(self) -> None:
        self.login("user")
        response = self.client.post(
            self.url(), form_data(iit_number=""), HTTP_ACCEPT="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("iit_number", response.json()["errors"])
        self.assertFalse(Inspection.objects.exists())

    def test_a_failed_point_needs_a_note(self) -> None:
        self.login("user")
        response = self.client.post(self.url(), form_data(**{"point-floor-result": "fail"}))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Say what failed at “Floor”")
        response = self.client.post(
            self.url(),
            form_data(**{"point-floor-result": "fail", "point-floor-note": "New boards"}),
        )
        self.assertFalse(Inspection.objects.get().passed)

    def test_a_pest_finding_needs_what_was_found_and_the_cleaning(self) -> None:
        self.login("user")
        response = self.client.post(
            self.url(), form_data(pest_found="on"), HTTP_ACCEPT="application/json"
        )
        self.assertEqual(set(response.json()["errors"]), {"pest_description", "cleaning"})
        response = self.client.post(
            self.url(),
            form_data(pest_found="on", pest_description="Snails on the floor", cleaning="washed"),
        )
        self.assertEqual(response.status_code, 302)

    def test_a_pest_finding_is_kept_a_year(self) -> None:
        with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)):
            inspection = Inspection.objects.create(
                company=self.company,
                checklist_key="container",
                checklist_name="C",
                iit_number="X1",
                direction="inbound",
                inspector=self.users["user"],
                pest_checked=True,
                pest_found=True,
                pest_description="Moths",
                cleaning="vacuumed",
            )
        with time_machine.travel(datetime.datetime(2027, 2, 28, tzinfo=datetime.UTC)):
            with self.assertRaises(ValidationError):
                inspection.delete()
        with time_machine.travel(datetime.datetime(2027, 3, 10, tzinfo=datetime.UTC)):
            inspection.delete()
        self.assertFalse(Inspection.objects.exists())

    def test_photos_must_be_images(self) -> None:
        self.login("user")
        photo = SimpleUploadedFile("floor.png", PNG, content_type="image/png")
        self.client.post(self.url(), form_data(**{"point-floor-photo": photo}))
        self.assertTrue(Inspection.objects.get().results.get(key="floor").photo)
        bad = SimpleUploadedFile("floor.png", b"%PDF-1.4 not an image", content_type="image/png")
        response = self.client.post(self.url(), form_data(**{"point-floor-photo": bad}))
        self.assertContains(response, "is a PDF document")
        self.assertEqual(Inspection.objects.count(), 1)

    def test_unknown_checklist_is_404(self) -> None:
        self.login("user")
        self.assertEqual(self.client.get(self.url("bogus")).status_code, 404)

    def test_a_company_checklist_can_be_used(self) -> None:
        self.login("admin")
        self.client.post(
            reverse("inspections:checklist-list", args=[self.company.pk]),
            {"name": "Flatbed", "point_lines": "Deck | Plataforma | Look under\nChains"},
        )
        own = self.company.checklists.get()
        self.assertEqual([p["es"] for p in own.points], ["Plataforma", "Chains"])
        response = self.client.post(
            self.url(own.key),
            form_data(**{"point-p1-result": "pass", "point-p2-result": "na"}),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Inspection.objects.get().results.count(), 2)


class MakesInspections(MediaMixin, PersonaTestCase):
    def make(self, by: str = "user") -> Inspection:
        self.login(by)
        self.client.post(
            reverse("inspections:inspection-create", args=[self.company.pk, "reefer"]),
            form_data(
                performed_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                **{"point-fan_housing-result": "pass"},
            ),
        )
        return Inspection.objects.latest("pk")


class SignOffAndSheetTests(MakesInspections):
    def test_a_supervisor_signs_someone_elses_inspection(self) -> None:
        inspection = self.make("admin")
        url = reverse("inspections:inspection-signoff", args=[self.company.pk, inspection.pk])
        self.client.post(url)
        inspection.refresh_from_db()
        self.assertIsNone(inspection.signed_off_at)
        self.login("officer")
        self.client.post(url)
        inspection.refresh_from_db()
        self.assertEqual(inspection.supervisor, self.users["officer"])
        self.assertFalse(inspection.signed_late)

    def test_the_sheet_is_a_pdf_in_the_readers_language(self) -> None:
        inspection = self.make()
        self.login("viewer")
        response = self.client.get(
            reverse("inspections:inspection-pdf", args=[self.company.pk, inspection.pk]),
            HTTP_ACCEPT_LANGUAGE="es",
        )
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = "".join(
            page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
        )
        self.assertIn("MSCU1234565", text)
        self.assertIn("Compartimiento del ventilador", text)


def _drawn_signature(colour: tuple[int, int, int] = (20, 30, 60)) -> str:
    """A PNG signature as the page's signature pad sends it (a data URL)."""
    out = io.BytesIO()
    image = Image.new("RGB", (300, 100), (255, 255, 255))
    for x in range(20, 280):
        image.putpixel((x, 50 + (x % 17)), colour)
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


class SignaturesAndEmailTests(MakesInspections):
    def test_both_signatures_are_kept_and_printed_on_the_sheet(self) -> None:
        self.login("user")
        self.client.post(
            reverse("inspections:inspection-create", args=[self.company.pk, "reefer"]),
            form_data(
                performed_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                inspector_signature=_drawn_signature(),
                **{"point-fan_housing-result": "pass"},
            ),
        )
        inspection = Inspection.objects.latest("pk")
        self.assertTrue(str(inspection.inspector_signature.name).endswith(".png"))
        self.login("officer")
        url = reverse("inspections:inspection-signoff", args=[self.company.pk, inspection.pk])
        self.client.post(url, {"signature": _drawn_signature((90, 0, 0))})
        inspection.refresh_from_db()
        self.assertEqual(inspection.supervisor, self.users["officer"])
        self.assertTrue(inspection.supervisor_signature)
        page = self.client.get(inspection.get_absolute_url()).content.decode()
        self.assertEqual(
            page.count('alt="Inspector&#x27;s signature"')
            + page.count('alt="Inspector\'s signature"'),
            1,
        )
        sheet = self.client.get(
            reverse("inspections:inspection-pdf", args=[self.company.pk, inspection.pk])
        )
        reader = pypdf.PdfReader(io.BytesIO(sheet.content))
        images = [img for page in reader.pages for img in page.images]
        self.assertEqual(len(images), 2, "both drawn signatures are on the sheet")

    def test_a_damaged_signature_is_refused_and_nothing_is_signed(self) -> None:
        inspection = self.make("admin")
        self.login("officer")
        url = reverse("inspections:inspection-signoff", args=[self.company.pk, inspection.pk])
        response = self.client.post(url, {"signature": "data:image/png;base64,@@@@"}, follow=True)
        self.assertContains(response, "sign again")
        inspection.refresh_from_db()
        self.assertIsNone(inspection.signed_off_at)

    def test_the_sheet_is_emailed_as_a_pdf_to_the_chosen_addresses(self) -> None:
        inspection = self.make()
        url = reverse("inspections:inspection-email", args=[self.company.pk, inspection.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                url, {"recipients": "ana@cliente.test; luis@cliente.test", "language": "es"}
            )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["ana@cliente.test", "luis@cliente.test"])
        self.assertIn("MSCU1234565", message.subject)
        name, content, mimetype = message.attachments[0]
        self.assertEqual(mimetype, "application/pdf")
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
        self.assertIn("Compartimiento del ventilador", text)

    def test_a_bad_address_is_named_and_nothing_is_sent(self) -> None:
        inspection = self.make()
        url = reverse("inspections:inspection-email", args=[self.company.pk, inspection.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                url,
                {"recipients": "ana@cliente.test, luis-at-cliente", "language": "en"},
                follow=True,
            )
        self.assertContains(response, "luis-at-cliente")
        self.assertEqual(mail.outbox, [])


class KpiTests(PersonaTestCase):
    def add(self, **fields: Any) -> Inspection:
        defaults: dict[str, Any] = {
            "company": self.company,
            "checklist_key": "container",
            "checklist_name": "C",
            "iit_number": "X",
            "direction": "outbound",
            "inspector": self.users["user"],
            "pest_checked": True,
            "seal_number": "S1",
            "vvtt_view": True,
            "vvtt_verify": True,
            "vvtt_tug": True,
            "vvtt_twist": True,
            "performed_at": datetime.datetime(2026, 3, 5, 10, tzinfo=datetime.UTC),
            "signed_off_at": datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC),
        }
        defaults.update(fields)
        return Inspection.objects.create(**defaults)

    @time_machine.travel(datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))
    def test_monthly_figures(self) -> None:
        self.add()
        self.add()
        self.add(vvtt_twist=False)  # outbound, not complete
        self.add(points_open=1)  # a point not answered: not complete
        self.add(direction="inbound", pest_found=True, pest_description="x", cleaning="washed")
        self.add(signed_off_at=None)  # older than a day, unsigned: missed
        late = self.add(signed_off_at=None)
        late.sign_off(self.users["admin"])  # signed on the 20th for the 5th: late
        self.assertTrue(late.signed_late)
        self.add(performed_at=datetime.datetime(2026, 2, 10, tzinfo=datetime.UTC))
        other = self.add(company=self.other_company)
        self.assertTrue(other.pk)
        feb, march = monthly(self.company, end=datetime.date(2026, 3, 20), months=2)
        self.assertEqual((feb.outbound, feb.outbound_complete, feb.complete_share), (1, 1, 100.0))
        self.assertEqual(march.inspections, 7)
        self.assertEqual((march.outbound, march.outbound_complete), (6, 4))
        self.assertEqual(march.complete_share, 66.7)
        self.assertEqual(march.pest_findings, 1)
        self.assertEqual(march.missed_signoffs, 2)

    def test_no_outbound_loads_is_not_zero_percent(self) -> None:
        (period,) = monthly(self.company, end=timezone.localdate(), months=1)
        self.assertIsNone(period.complete_share)

    @time_machine.travel(datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))
    def test_evidence_for_criteria(self) -> None:
        self.add()
        self.add(vvtt_tug=False)
        figures = evidence_for(self.company, "5.3")
        self.assertIn("50.0 % (1/2)", figures[0].value)
        self.assertEqual(evidence_for(self.company, "1.1"), [])
        self.assertTrue(any("pests" in f.label for f in evidence_for(self.company, "8.1")))
        seal_figures = evidence_for(self.company, "6.6")
        self.assertEqual(seal_figures[0].value, "0")
        self.assertEqual(seal_figures[1].value, "none recorded")

    def test_operations_page_shows_the_share(self) -> None:
        self.add(performed_at=timezone.now(), signed_off_at=timezone.now())
        self.login("viewer")
        response = self.client.get(reverse("inspections:operations-kpis", args=[self.company.pk]))
        self.assertContains(response, "100.0 %")

    def test_the_figures_cost_two_queries_whatever_the_months(self) -> None:
        self.add()
        for months in (1, 12, 24):
            with self.assertNumQueries(2):
                periods = _monthly(self.company, datetime.date(2026, 3, 20), months)
            self.assertEqual(len(periods), months)

    def test_kept_figures_show_a_new_inspection_or_seal_discrepancy_at_once(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from seals.models import Seal, SealEvent

        end = datetime.date(2026, 3, 20)
        self.add()
        (march,) = monthly(self.company, end=end, months=1)
        self.assertEqual((march.inspections, march.seal_discrepancies), (1, 0))
        with CaptureQueriesContext(connection) as again:
            monthly(self.company, end=end, months=1)
        counting = [q["sql"] for q in again.captured_queries if "COUNT(" in q["sql"].upper()]
        self.assertEqual(counting, [])  # kept: read from the cache
        self.add()
        seal = Seal.objects.create(company=self.company, number="MX0000001")
        SealEvent.objects.create(
            seal=seal,
            kind="discrepancy",
            by=self.users["user"],
            at=datetime.datetime(2026, 3, 6, tzinfo=datetime.UTC),
        )
        self.add(company=self.other_company)
        (march,) = monthly(self.company, end=end, months=1)
        self.assertEqual((march.inspections, march.seal_discrepancies), (2, 1))

    @time_machine.travel(datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))
    def test_the_charts_get_twelve_months_and_the_table_repeats_them(self) -> None:
        self.add()
        self.add(vvtt_twist=False)
        self.add(
            performed_at=datetime.datetime(2025, 4, 2, tzinfo=datetime.UTC),
            pest_found=True,
            pest_description="Snails",
            cleaning="washed",
        )
        self.add(performed_at=datetime.datetime(2025, 3, 31, tzinfo=datetime.UTC))  # 13 months ago
        self.login("viewer")
        url = reverse("inspections:operations-kpis", args=[self.company.pk])
        self.client.get(url)  # warm the per-process caches
        # Session, user, MFA checks, company, company switcher, then the figures: two
        # queries for all twelve months (bench/operations.py pins the same number).
        with self.assertNumQueries(PAGE_QUERIES):
            response = self.client.get(url)
        self.assertContains(response, "vendor/chartjs/chart.umd.min.js")
        data = json.loads(
            response.content.decode()
            .split('id="operations-chart-data" type="application/json">')[1]
            .split("</script>")[0]
        )
        self.assertEqual(data["months"][0], "2025-04")
        self.assertEqual(data["months"][-1], "2026-03")
        self.assertEqual(len(data["months"]), 12)
        self.assertEqual(data["complete_share"][-1], 50.0)
        self.assertIsNone(data["complete_share"][1])  # no outbound loads: no point, not 0 %
        self.assertEqual(data["pest_findings"][0], 1)
        self.assertEqual(sum(data["seal_discrepancies"]), 0)
        table = response.content.decode().split('data-testid="kpi-table"')[1]
        self.assertEqual(table.count('<th scope="row">'), 12)
        self.assertIn("50.0 %", table)


class GateLogTests(PersonaTestCase):
    def test_a_resent_gate_entry_is_recorded_once(self) -> None:
        self.login("user")
        url = reverse("inspections:gate-list", args=[self.company.pk])
        data = {
            "client_key": str(uuid.uuid4()),
            "direction": "out",
            "driver_name": "Luis Gómez",
            "trailer_plate": "123ABC",
            "seal_number": "MX1",
            "seal_intact": "true",
        }
        self.client.post(url, data)
        self.client.post(url, data, HTTP_ACCEPT="application/json")
        self.assertEqual(GateEntry.objects.count(), 1)

    def test_an_entry_needs_a_plate_or_number(self) -> None:
        self.login("user")
        response = self.client.post(
            reverse("inspections:gate-list", args=[self.company.pk]),
            {"client_key": str(uuid.uuid4()), "direction": "in", "driver_name": "Ana"},
            HTTP_ACCEPT="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("tractor_plate", response.json()["errors"])


class ListTests(PersonaTestCase):
    def test_the_list_pages_without_counting(self) -> None:
        start = timezone.now()
        Inspection.objects.bulk_create(
            Inspection(
                company=self.company,
                checklist_key="container",
                checklist_name="C",
                iit_number=f"MSCU{i:07d}",
                direction="yard",
                inspector=self.users["user"],
                performed_at=start - datetime.timedelta(minutes=i),
            )
            for i in range(60)
        )
        self.login("viewer")
        url = reverse("inspections:inspection-list", args=[self.company.pk])
        first = self.client.get(url)
        self.assertContains(first, "MSCU0000000")
        self.assertContains(first, "?page=2")
        self.assertNotContains(first, "MSCU0000055")
        second = self.client.get(url, {"page": "2"})
        self.assertContains(second, "MSCU0000059")
        self.assertNotContains(second, "?page=3")
        self.assertEqual(self.client.get(url, {"page": "x"}).status_code, 200)
        found = self.client.get(url, {"q": "0000042"})
        self.assertContains(found, "MSCU0000042")
        self.assertNotContains(found, "MSCU0000041")
        # Any case, through the search index on SQLite, and as the number is now.
        Inspection.objects.filter(iit_number="MSCU0000041").update(iit_number="TGHU7000041")
        found = self.client.get(url, {"q": "ghu70"})
        self.assertContains(found, "TGHU7000041")
        self.assertNotContains(found, "MSCU0000042")
        self.assertNotContains(self.client.get(url, {"q": "mscu0000041"}), "TGHU7000041")
