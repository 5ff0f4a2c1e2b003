"""The validation-readiness binder: one PDF, English or Spanish, built in the background,
with the application, the submitted profile and its evidence index, the risk
assessment, the partner vetting summary, training coverage and operations figures.

The PDF is opened (pypdf) and its sections read. One test runs it through a real
`ctpat db_worker` process on the database backend."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import Application
from core.models import ExportJob
from partners.models import BusinessPartner
from portal.testing import add_member, make_company, make_user, shared_database
from profiles.tests.factories import (
    ProfilesTestCase,
    add_evidence,
    answer,
    make_catalogue,
    start_profile,
    submit,
)
from risk.tests.factories import make_assessment, make_chain


def build_world(company: Any, officer: Any) -> None:
    """A member with something in every section of the binder."""
    application = Application.start(company)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.snapshot = application.build_snapshot()
    application.save()
    make_catalogue()
    profile = start_profile(company)
    response = answer(profile, "3.1", status="implemented", narrative="We vet partners.")
    add_evidence(response, "Partner vetting procedure", name="vetting.pdf")
    submit(profile, officer)
    assessment = make_assessment(company)
    make_chain(assessment, "Monterrey to Laredo")
    for n in range(3):
        BusinessPartner.objects.create(company=company, name=f"Carrier {n}", country="MX")


def pdf_text(body: bytes) -> str:
    """The PDF's text with line breaks inside table cells folded into spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())


class BinderTests(ProfilesTestCase):
    def setUp(self) -> None:
        build_world(self.company, self.users["officer"])

    def ask(self, language: str) -> ExportJob:
        self.login("officer")
        page = reverse("binder:binder", args=[self.company.pk])
        self.assertContains(self.client.get(page), "Build the binder")
        response = self.client.post(page, {"language": language})
        job = ExportJob.objects.latest("pk")
        self.assertRedirects(response, reverse("exports:job", args=[self.company.pk, job.pk]))
        return job

    def download(self, job: ExportJob) -> bytes:
        url = reverse("exports:job-download", args=[self.company.pk, job.pk])
        response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]

    def test_the_english_binder_holds_every_section(self) -> None:
        job = self.ask("en")
        self.assertEqual((job.state, job.done, job.total), ("done", 7, 7))
        self.assertTrue(job.filename.startswith("validation-binder-"))
        text = pdf_text(self.download(job))
        for heading in (
            "Validation-readiness binder",
            "1. Application",
            "2. Security profile and evidence index",
            "3. Risk assessment",
            "4. Business partner vetting",
            "5. Training coverage",
            "6. Operations figures",
        ):
            self.assertIn(heading, text)
        self.assertIn(self.company.legal_name, text)
        self.assertIn("Submission 1, signed by Dana Price", text)
        self.assertIn("Partner vetting procedure", text)  # the evidence index
        self.assertIn("vetting.pdf", text)
        self.assertIn("Monterrey to Laredo", text)
        partners = BusinessPartner.objects.filter(company=self.company).count()
        self.assertIn(f"{partners} business partners in the directory.", text)
        self.assertIn("Business type U.S. importer", text)  # labels, not stored codes

    def test_the_spanish_binder_is_in_spanish_whatever_the_page_language(self) -> None:
        job = self.ask("es")
        self.assertEqual(job.language, "es")
        text = pdf_text(self.download(job))
        self.assertIn("Carpeta de preparación para la validación", text)
        self.assertIn("2. Perfil de seguridad e índice de evidencia", text)
        self.assertIn("4. Verificación de socios comerciales", text)
        partners = BusinessPartner.objects.filter(company=self.company).count()
        self.assertIn(f"{partners} socios comerciales en el directorio.", text)
        self.assertIn("Tipo de empresa Importador de EE. UU.", text)
        self.assertNotIn("Business partner vetting", text)

    def test_an_unknown_language_is_refused_naming_the_field(self) -> None:
        self.login("officer")
        page = reverse("binder:binder", args=[self.company.pk])
        response = self.client.post(page, {"language": "fr"})
        self.assertContains(response, "Language: choose English or Spanish.", status_code=400)
        self.assertFalse(ExportJob.objects.exists())

    def test_another_company_cannot_ask_for_or_see_the_binder(self) -> None:
        job = self.ask("en")
        self.login("other")
        self.assertEqual(
            self.client.get(reverse("binder:binder", args=[self.company.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.post(
                reverse("binder:binder", args=[self.company.pk]), {"language": "en"}
            ).status_code,
            404,
        )
        url = reverse("exports:job", args=[self.company.pk, job.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class BinderOnTheDatabaseQueueTests(TransactionTestCase):
    """The request only queues the job; a real `ctpat db_worker` builds the PDF."""

    def setUp(self) -> None:
        data = tempfile.TemporaryDirectory(prefix="ctpat-binder-")
        self.addCleanup(data.cleanup)
        self.data_dir = data.name
        media = override_settings(MEDIA_ROOT=str(Path(data.name) / "media"))
        media.enable()
        self.addCleanup(media.disable)
        database = shared_database()
        self.database_url = database.__enter__()
        self.addCleanup(database.__exit__, None, None, None)
        self.company = make_company()
        self.officer = make_user("officer@acme.test")
        add_member(self.company, self.officer, "user")  # no second factor needed
        build_world(self.company, self.officer)
        self.client.force_login(self.officer)

    def test_a_db_worker_builds_the_binder_and_the_page_offers_it(self) -> None:
        page = reverse("binder:binder", args=[self.company.pk])
        self.client.post(page, {"language": "en"})
        job = ExportJob.objects.get()
        status = reverse("exports:job-status", args=[self.company.pk, job.pk])
        waiting = self.client.get(status)
        self.assertContains(waiting, "Waiting for a background worker to start")
        self.assertContains(waiting, 'hx-trigger="every 1s"')

        env = {
            **os.environ,
            "SECRET_KEY": "worker-of-a-test",
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "0",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "CTPAT_DATA_DIR": self.data_dir,
            "DEBUG": "false",
        }
        ctpat = str(Path(sys.executable).with_name("ctpat"))
        worker = subprocess.Popen(
            [ctpat, "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay", "-v0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.finished or worker.poll() is not None:
                    break
                time.sleep(0.2)
        finally:
            worker.kill()
            _out, errors = worker.communicate(timeout=30)
        self.assertEqual(job.state, "done", errors.decode()[-2000:])
        self.assertTrue(job.task_id)
        ready = self.client.get(status)
        self.assertContains(ready, "Your file is ready.")
        self.assertNotContains(ready, "hx-trigger")
        download = self.client.get(reverse("exports:job-download", args=[self.company.pk, job.pk]))
        text = pdf_text(b"".join(download.streaming_content))  # type: ignore[attr-defined]
        self.assertIn("2. Security profile and evidence index", text)
        self.assertIn("Partner vetting procedure", text)
        self.assertEqual(Path(settings.MEDIA_ROOT).parent, Path(self.data_dir))
