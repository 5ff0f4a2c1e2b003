from __future__ import annotations

import datetime
import shutil
import tempfile

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from incidents.models import Incident
from incidents.report import link_for
from incidents.workflow import mark_notified, open_incident
from portal.testing import PersonaTestCase

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


class ClockTests(PersonaTestCase):
    def test_the_clock_runs_from_the_report(self) -> None:
        with time_machine.travel(T0, tick=False):
            incident = open_incident(
                self.company, kind="tampering", title="Cut lock", description="Dock 3"
            )
        with time_machine.travel(T0 + datetime.timedelta(hours=23), tick=False):
            clock = incident.clock()
            self.assertEqual((clock.pending, clock.overdue, clock.hours_left), (4, False, 1.0))
        with time_machine.travel(T0 + datetime.timedelta(hours=25), tick=False):
            self.assertTrue(incident.clock().overdue)
            for n in incident.notifications.all():
                mark_notified(n, by=self.users["user"], contact="SCSS")
            self.assertTrue(incident.clock().done)
            self.assertFalse(incident.clock().overdue)
            self.assertFalse(incident.notifications.first().on_time())  # type: ignore[union-attr]

    @override_settings(CTPAT_INCIDENT_NOTIFY_HOURS=6)
    def test_the_notification_window_is_the_organisations_setting_and_labelled(self) -> None:
        """CBP asks for notice as soon as possible and before the border, without a number
        of hours: 24 h is this organisation's default (docs/domain-sources.md)."""
        with time_machine.travel(T0, tick=False):
            incident = open_incident(
                self.company, kind="tampering", title="Cut lock", description="Dock 3"
            )
            self.assertEqual(incident.clock().hours_left, 6.0)
            self.login("viewer")
            response = self.client.get(incident.get_absolute_url())
        self.assertContains(response, "this organisation's rule; CBP sets no figure")

    def test_the_border_crossing_sets_the_deadline(self) -> None:
        with time_machine.travel(T0, tick=False):
            incident = open_incident(
                self.company,
                kind="contraband",
                title="Package",
                description="In cab",
                border_crossing_at=T0 + datetime.timedelta(hours=3),
            )
            self.assertEqual(incident.clock().hours_left, 3.0)
        with time_machine.travel(T0 + datetime.timedelta(hours=4), tick=False):
            self.login("viewer")
            response = self.client.get(incident.get_absolute_url())
            self.assertContains(response, "Overdue: 4 notifications still open")
            # A deadline set by the border crossing is not the organisation's choice.
            self.assertNotContains(response, 'data-testid="our-rule"')

    def test_closing_needs_a_root_cause(self) -> None:
        incident = open_incident(self.company, kind="other", title="X", description="Y")
        self.login("user")
        url = reverse("incidents:incident-edit", args=[self.company.pk, incident.pk])
        response = self.client.post(url, {"status": "closed"})
        self.assertContains(response, "Record the root cause before closing the incident.")
        self.client.post(url, {"status": "closed", "root_cause": "Gate left open"})
        incident.refresh_from_db()
        self.assertIsNotNone(incident.closed_at)

    def test_a_retried_report_is_recorded_once(self) -> None:
        self.login("user")
        url = reverse("incidents:incident-create", args=[self.company.pk])
        data = {
            "kind": "cyber",
            "title": "Phishing",
            "description": "Fake invoice",
            "occurred_at": "2026-03-02T10:00",
            "submission_key": "6b1e8c1e-8f3a-4a43-9e52-8d3b1f0c2a11",
        }
        self.client.post(url, data)
        self.client.post(url, data)
        self.assertEqual(Incident.objects.count(), 1)


@override_settings(INCIDENT_REPORT_RATE=(3, 3600), INCIDENT_REPORT_MAX_MB=1)
class AnonymousReportTests(PersonaTestCase):
    def setUp(self) -> None:
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, True)
        override = override_settings(MEDIA_ROOT=media)
        override.enable()
        self.addCleanup(override.disable)

    def url(self) -> str:
        return link_for(self.company).get_absolute_url()

    def test_anyone_can_report_without_an_account(self) -> None:
        response = self.client.post(
            self.url(),
            {"kind": "unauthorized_access", "description": "Gate propped open"},
            HTTP_ACCEPT_LANGUAGE="es",
        )
        self.assertContains(response, "Gracias")
        incident = Incident.objects.get()
        self.assertEqual((incident.company, incident.anonymous), (self.company, True))
        self.assertIsNone(incident.reporter)
        self.assertEqual(incident.notifications.count(), 4)

    def test_the_link_reveals_no_company(self) -> None:
        self.assertNotIn(f"/{self.company.pk}/", self.url().replace("/companies/0/", ""))
        bad = reverse("incidents:anonymous-report", args=[0, "1:forged"])
        self.assertEqual(self.client.get(bad).status_code, 404)
        self.assertEqual(self.client.post(bad, {"kind": "other"}).status_code, 404)

    def test_reports_are_rate_limited(self) -> None:
        data = {"kind": "other", "description": "Something odd"}
        codes = [self.client.post(self.url(), data).status_code for _ in range(5)]
        self.assertEqual(codes, [200, 200, 200, 429, 429])
        self.assertEqual(Incident.objects.count(), 3)
        other = self.client.post(self.url(), data, REMOTE_ADDR="10.0.0.9")
        self.assertEqual(other.status_code, 200)

    def test_an_oversized_upload_is_refused(self) -> None:
        big = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024 + 1))
        response = self.client.post(
            self.url(), {"kind": "other", "description": "See photo", "attachment": big}
        )
        self.assertContains(response, "at most 1 MB", status_code=400)
        self.assertFalse(Incident.objects.exists())

    def test_a_program_file_is_refused(self) -> None:
        exe = SimpleUploadedFile("photo.png", b"MZ" + b"\x00" * 100)
        response = self.client.post(
            self.url(), {"kind": "other", "description": "x", "attachment": exe}
        )
        self.assertContains(response, "a Windows program", status_code=400)

    def test_a_bot_filling_the_hidden_field_is_refused(self) -> None:
        response = self.client.post(
            self.url(), {"kind": "other", "description": "spam", "website": "http://x"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Incident.objects.exists())
