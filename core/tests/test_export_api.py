"""Background exports followed over the API: the caller's own jobs with their progress,
the download address once ready (served to the same token), and nobody else's job,
not even a manager's of the same company, nor one of a company the caller has left."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from django.urls import reverse

from companies.models import Membership
from core.models import ExportJob
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase


def read(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@override_settings(CTPAT_EXPORTS_ALWAYS_BACKGROUND=True)
class ExportJobAPITests(PersonaTestCase):
    def setUp(self) -> None:
        BusinessPartner.objects.bulk_create(
            BusinessPartner(
                company=self.company,
                name=f"Partner {n:02d}",
                normalised_name=f"partner {n:02d}",
                country="MX",
            )
            for n in range(5)
        )
        self.login("user")
        # Started from the page, as a person does (the suite's tasks run at once).
        self.client.get(reverse("partners:partner-export", args=[self.company.pk]))
        self.job = ExportJob.objects.get(requested_by=self.users["user"])
        self.queued = ExportJob.objects.create(
            company=self.company, requested_by=self.users["user"], kind="partners.csv"
        )

    def test_my_jobs_newest_first_with_progress_and_a_working_download(self) -> None:
        client = self.api_as("user")
        answer = client.get(reverse("api:export-list"))
        self.assertEqual(answer.status_code, 200)
        rows = answer.json()["results"]
        self.assertEqual([r["id"] for r in rows], [self.queued.pk, self.job.pk])
        queued, done = rows
        self.assertEqual(
            (queued["state"], queued["percent"], queued["finished"]), ("queued", 0, False)
        )
        self.assertIsNone(queued["download_url"])
        self.assertEqual((done["state"], done["percent"], done["finished"]), ("done", 100, True))
        self.assertEqual((done["done"], done["total"]), (5, 5))
        self.assertTrue(done["page_url"].endswith(f"/exports/{self.job.pk}/"))
        download = client.get(done["download_url"])
        self.assertEqual(download.status_code, 200)
        self.assertIn(b"Partner 04", read(download))

    def test_filter_by_state(self) -> None:
        rows = self.api_as("user").get(reverse("api:export-list"), {"state": "done"}).json()
        self.assertEqual([r["id"] for r in rows["results"]], [self.job.pk])

    def test_another_persons_job_is_not_found_nor_listed_nor_downloaded(self) -> None:
        for persona in ("officer", "admin", "supervisor", "other"):
            with self.subTest(persona):
                client = self.api_as(persona)
                detail = reverse("api:export-detail", args=[self.job.pk])
                self.assertEqual(client.get(detail).status_code, 404)
                self.assertEqual(client.get(reverse("api:export-list")).json()["count"], 0)
        url = self.api_as("user").get(reverse("api:export-detail", args=[self.job.pk])).json()
        self.assertEqual(self.api_as("officer").get(url["download_url"]).status_code, 404)

    def test_a_job_of_a_company_i_left_is_gone(self) -> None:
        Membership.objects.filter(user=self.users["user"], company=self.company).delete()
        client = self.api_as("user")
        self.assertEqual(
            client.get(reverse("api:export-detail", args=[self.job.pk])).status_code, 404
        )
        self.assertEqual(client.get(reverse("api:export-list")).json()["count"], 0)

    def test_the_list_costs_a_fixed_number_of_queries(self) -> None:
        client = self.api_as("user")
        client.get(reverse("api:export-list"))
        with self.assertNumQueries(4):  # token, second factor, count, rows
            client.get(reverse("api:export-list"))
