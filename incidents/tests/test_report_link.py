"""The anonymous reporting link (MSC 7.25): a random per-company token that the company's
officer or admin can rotate, and files sent through it reach the company."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Incident, ReportLink
from incidents.report import link_for
from portal.testing import PersonaTestCase

REPORT = {"kind": "other", "description": "The back gate is left open at night."}


class ReportLinkTests(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()

    def rotate_url(self) -> str:
        return reverse("incidents:report-link-rotate", args=[self.company.pk])

    def test_the_old_signed_link_no_longer_opens_the_form(self) -> None:
        old = signing.dumps(self.company.pk, salt="incidents.anonymous-report")
        url = reverse("incidents:anonymous-report", args=[0, old])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, REPORT).status_code, 404)
        self.assertFalse(Incident.objects.exists())

    def test_the_new_link_is_random_and_opens_the_form(self) -> None:
        link = link_for(self.company)
        self.assertGreaterEqual(len(link.token), 32)
        self.assertNotEqual(link.token, link_for(self.other_company).token)
        self.assertNotIn(":", link.token)  # not a signed value that carries the company id
        self.assertEqual(self.client.get(link.get_absolute_url()).status_code, 200)
        self.client.post(link.get_absolute_url(), REPORT)
        self.assertEqual(Incident.objects.get().company, self.company)

    def test_the_officer_sees_the_link_on_the_incidents_page(self) -> None:
        self.login("officer")
        response = self.client.get(reverse("incidents:incident-list", args=[self.company.pk]))
        self.assertContains(response, link_for(self.company).get_absolute_url())
        self.assertContains(response, 'data-testid="rotate-report-link"')

    def test_after_rotating_the_old_link_is_404_and_the_new_one_works(self) -> None:
        old_url = link_for(self.company).get_absolute_url()
        self.login("officer")
        response = self.client.post(self.rotate_url())
        self.assertRedirects(response, reverse("incidents:incident-list", args=[self.company.pk]))
        link = ReportLink.objects.get(company=self.company)
        self.assertEqual(link.rotated_by, self.users["officer"])
        self.assertNotEqual(link.get_absolute_url(), old_url)
        self.client.logout()
        unknown = reverse("incidents:anonymous-report", args=[0, "x" * 32])
        self.assertEqual(self.client.get(old_url).status_code, 404)
        self.assertEqual(self.client.get(old_url).content, self.client.get(unknown).content)
        self.assertEqual(self.client.post(old_url, REPORT).status_code, 404)
        self.assertEqual(self.client.post(link.get_absolute_url(), REPORT).status_code, 200)
        self.assertEqual(Incident.objects.count(), 1)

    def test_the_company_admin_may_rotate_too(self) -> None:
        before = link_for(self.company).token
        self.login("admin")
        self.client.post(self.rotate_url())
        self.assertNotEqual(ReportLink.objects.get(company=self.company).token, before)

    def test_nobody_else_can_rotate_the_link(self) -> None:
        before = link_for(self.company).token
        for persona in ("viewer", "user", "consultant", "other", "specialist", "supervisor"):
            with self.subTest(persona=persona):
                self.login(persona)
                self.assertEqual(self.client.post(self.rotate_url()).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.post(self.rotate_url()).status_code, 302)
        self.assertEqual(ReportLink.objects.get(company=self.company).token, before)

    def test_rotating_is_a_post(self) -> None:
        self.login("officer")
        self.assertEqual(self.client.get(self.rotate_url()).status_code, 405)

    def test_the_data_migration_gives_every_existing_company_a_link(self) -> None:
        ReportLink.objects.all().delete()
        link_for(self.company)
        kept = ReportLink.objects.get(company=self.company).token
        migration = importlib.import_module(
            "incidents.migrations.0005_report_link_for_every_company"
        )
        migration.give_every_company_a_link(apps, None)
        tokens = dict(ReportLink.objects.values_list("company_id", "token"))
        self.assertEqual(
            set(tokens), {self.company.pk, self.other_company.pk, self.third_company.pk}
        )
        self.assertEqual(tokens[self.company.pk], kept)
        self.assertEqual(len(set(tokens.values())), 3)

    def test_the_form_and_the_link_card_are_in_spanish(self) -> None:
        url = link_for(self.company).get_absolute_url()
        form = self.client.get(url, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(form, "Reportar un problema de seguridad")
        self.login("officer")
        page = self.client.get(
            reverse("incidents:incident-list", args=[self.company.pk]), HTTP_ACCEPT_LANGUAGE="es"
        )
        self.assertContains(page, "Enlace de reporte anónimo")
        self.assertContains(page, "Crear un enlace nuevo y desactivar este")


class AnonymousAttachmentTests(PersonaTestCase):
    incident: Incident

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        photo = SimpleUploadedFile("gate.txt", b"The padlock on gate 4 was cut.")
        cls.client_class().post(
            link_for(cls.company).get_absolute_url(),
            {**REPORT, "attachment": photo},
        )
        cls.incident = Incident.objects.get()

    def download_url(self) -> str:
        return reverse("incidents:incident-attachment", args=[self.company.pk, self.incident.pk])

    def test_the_company_sees_and_downloads_the_file_sent_anonymously(self) -> None:
        self.login("viewer")
        page = self.client.get(self.incident.get_absolute_url())
        self.assertContains(page, self.download_url())
        response = self.client.get(self.download_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"The padlock on gate 4 was cut.")  # type: ignore[attr-defined]
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_another_company_gets_404(self) -> None:
        self.login("other")
        self.assertEqual(self.client.get(self.download_url()).status_code, 404)
        elsewhere = reverse(
            "incidents:incident-attachment", args=[self.other_company.pk, self.incident.pk]
        )
        self.assertEqual(self.client.get(elsewhere).status_code, 404)

    def test_an_anonymous_visitor_is_sent_to_sign_in(self) -> None:
        response = self.client.get(self.download_url())
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_the_stored_name_cannot_be_guessed(self) -> None:
        name = self.incident.attachment.name or ""
        folder = name.rsplit("/", 2)[-2]
        # The file sits in a folder named by 128 random bits, not at a name one can count to.
        self.assertRegex(folder, r"^[0-9a-f]{32}$")
        self.assertNotIn(f"/{self.incident.pk}.", name)

    def test_an_incident_without_a_file_has_no_download(self) -> None:
        self.incident.attachment = ""
        self.incident.save()
        self.login("viewer")
        self.assertEqual(self.client.get(self.download_url()).status_code, 404)
