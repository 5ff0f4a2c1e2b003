"""Background exports (`core.export_jobs`): a large export starts a job and lands on its
progress page, the file is downloaded when ready, only by the person who asked, old
files are removed, a failure is told in plain words. Run on the real task backend of the
suite (the immediate backend: the job has run when the request returns)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core import export_jobs
from core.export_jobs import ExportContext, Output
from core.models import ExportJob
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase


def failing_exporter(context: ExportContext) -> Output:
    context.progress.set_total(3)
    raise RuntimeError("database went away: internal detail")


def refusing_exporter(context: ExportContext) -> Output:
    from core.refusals import Invalid

    raise Invalid("This company has no security profile yet.")


def read_download(response: Any) -> bytes:
    return b"".join(response.streaming_content)


class BackgroundExportTests(PersonaTestCase):
    def setUp(self) -> None:
        BusinessPartner.objects.bulk_create(
            BusinessPartner(
                company=self.company,
                name=f"Partner {n:02d}",
                normalised_name=f"partner {n:02d}",
                country="MX",
            )
            for n in range(12)
        )
        BusinessPartner.objects.create(company=self.other_company, name="Hidden SA", country="MX")

    def export_url(self, **query: str) -> str:
        url = reverse("partners:partner-export", args=[self.company.pk])
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def test_a_small_directory_gets_the_file_at_once(self) -> None:
        self.login("user")
        response = self.client.get(self.export_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(read_download(response).decode())))
        self.assertEqual(len(rows), 13)
        self.assertFalse(ExportJob.objects.exists())

    @override_settings(CTPAT_EXPORTS_ALWAYS_BACKGROUND=True)
    def test_a_large_export_runs_in_the_background_and_is_downloaded_when_ready(self) -> None:
        finished: list[ExportJob] = []

        def heard(sender: Any, job: ExportJob, **kwargs: Any) -> None:
            finished.append(job)

        export_jobs.export_finished.connect(heard)
        self.addCleanup(export_jobs.export_finished.disconnect, heard)
        self.login("user")
        response = self.client.get(self.export_url(q="Partner 0"))
        job = ExportJob.objects.get()
        self.assertEqual([(j.pk, j.state) for j in finished], [(job.pk, "done")])
        self.assertRedirects(response, reverse("exports:job", args=[self.company.pk, job.pk]))
        self.assertEqual(
            (job.state, job.done, job.total, job.requested_by, job.company),
            ("done", 10, 10, self.users["user"], self.company),
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "Your file is ready.")
        self.assertContains(page, 'role="status"')
        self.assertNotContains(page, "hx-trigger")  # finished: no more polling
        download = self.client.get(reverse("exports:job-download", args=[self.company.pk, job.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertIn("attachment", download["Content-Disposition"])
        self.assertIn(f"partners-{self.company.pk}.csv", download["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(read_download(download).decode())))
        # Exactly the filtered rows: Partner 00..09, never the other company's partner.
        self.assertEqual(sorted(r[0] for r in rows[1:]), [f"Partner {n:02d}" for n in range(10)])

    @override_settings(CTPAT_EXPORTS_ALWAYS_BACKGROUND=True)
    def test_the_list_export_link_and_the_screening_evidence_take_the_same_path(self) -> None:
        self.login("user")
        listed = self.client.get(
            reverse("partners:partner-list", args=[self.company.pk]) + "?export=csv"
        )
        evidence = self.client.get(
            reverse("partners:screening-evidence-export", args=[self.company.pk])
        )
        jobs = {j.kind: j for j in ExportJob.objects.all()}
        self.assertEqual(set(jobs), {"partners.csv", "partners.screening-evidence"})
        self.assertRedirects(
            listed, reverse("exports:job", args=[self.company.pk, jobs["partners.csv"].pk])
        )
        self.assertEqual(evidence.status_code, 302)
        job = jobs["partners.screening-evidence"]
        self.assertEqual((job.state, job.total), ("done", 12))
        body = read_download(
            self.client.get(reverse("exports:job-download", args=[self.company.pk, job.pk]))
        ).decode()
        self.assertTrue(body.startswith("partner,country,role,tier,screened_at"))
        self.assertEqual(body.count("\n"), 13)

    @override_settings(CTPAT_EXPORTS_ALWAYS_BACKGROUND=True)
    def test_another_company_or_another_person_gets_a_404(self) -> None:
        self.login("user")
        self.client.get(self.export_url())
        job = ExportJob.objects.get()
        urls = [
            reverse("exports:job", args=[self.company.pk, job.pk]),
            reverse("exports:job-status", args=[self.company.pk, job.pk]),
            reverse("exports:job-download", args=[self.company.pk, job.pk]),
            reverse("core:file", args=["core.exportjob", job.pk, "file"]),
        ]
        for persona in ("other", "officer", "specialist"):
            self.login(persona)
            for url in urls:
                with self.subTest(persona=persona, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
        # The other company's address does not reveal the job either.
        self.login("user")
        elsewhere = reverse("exports:job", args=[self.other_company.pk, job.pk])
        self.assertEqual(self.client.get(elsewhere).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(urls[0]).status_code, 302)  # sign in first

    def test_progress_is_shown_while_running_and_polling_stops_when_finished(self) -> None:
        job = ExportJob.objects.create(
            company=self.company,
            requested_by=self.users["user"],
            kind="partners.csv",
            title="Partner list (CSV)",
            state=ExportJob.State.RUNNING,
            done=2500,
            total=10000,
        )
        self.login("user")
        status = reverse("exports:job-status", args=[self.company.pk, job.pk])
        fragment = self.client.get(status)
        self.assertContains(fragment, "Building: 2,500 of 10,000 (25 %).")
        self.assertContains(fragment, 'hx-trigger="every 1s"')
        self.assertContains(fragment, 'aria-live="polite"')
        self.assertContains(fragment, '<progress max="100" value="25"')
        spanish = self.client.get(status, headers={"accept-language": "es"})
        self.assertContains(spanish, "Generando: 2\xa0500 de 10\xa0000 (25 %).")

    def test_an_error_is_told_in_plain_words_without_internal_detail(self) -> None:
        export_jobs.register("test.failing", "Failing export", build=f"{__name__}.failing_exporter")
        export_jobs.register(
            "test.refusing", "Refusing export", build=f"{__name__}.refusing_exporter"
        )
        with self.assertLogs("core.export_jobs", "ERROR"):
            failed = export_jobs.enqueue("test.failing", self.company, self.users["user"], {})
        refused = export_jobs.enqueue("test.refusing", self.company, self.users["user"], {})
        self.assertEqual((failed.state, refused.state), ("failed", "failed"))
        self.login("user")
        page = self.client.get(reverse("exports:job", args=[self.company.pk, failed.pk]))
        self.assertContains(page, "The export could not be built.")
        self.assertContains(page, "error on our side. Please try again")
        self.assertNotContains(page, "database went away")
        self.assertNotContains(page, "hx-trigger")
        page = self.client.get(reverse("exports:job", args=[self.company.pk, refused.pk]))
        self.assertContains(page, "This company has no security profile yet.")
        download = reverse("exports:job-download", args=[self.company.pk, failed.pk])
        self.assertEqual(self.client.get(download).status_code, 404)

    @override_settings(CTPAT_EXPORTS_ALWAYS_BACKGROUND=True, CTPAT_EXPORT_KEEP_HOURS=24)
    def test_old_exports_and_their_files_are_removed(self) -> None:
        self.login("user")
        self.client.get(self.export_url())
        old = ExportJob.objects.get()
        self.client.get(self.export_url())
        new = ExportJob.objects.exclude(pk=old.pk).get()
        ExportJob.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=25)
        )
        old_file, new_file = str(old.file.name), str(new.file.name)
        self.assertTrue(default_storage.exists(old_file))
        self.assertEqual(export_jobs.cleanup(), 1)
        self.assertFalse(default_storage.exists(old_file))
        self.assertTrue(default_storage.exists(new_file))
        self.assertEqual(list(ExportJob.objects.all()), [new])

    @override_settings(TASK_LEASE_SECONDS=60)
    def test_a_job_whose_worker_died_is_marked_failed(self) -> None:
        job = ExportJob.objects.create(
            company=self.company,
            requested_by=self.users["user"],
            kind="partners.csv",
            state=ExportJob.State.RUNNING,
        )
        ExportJob.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - datetime.timedelta(minutes=5)
        )
        from core.tasks import recover_all

        self.assertIn(f"export {job.pk} (partners.csv): worker lost, marked failed", recover_all())
        job.refresh_from_db()
        self.assertEqual(job.state, "failed")
        self.assertIn("Please ask for it again.", job.error)
