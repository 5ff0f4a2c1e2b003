"""The profile submissions as a list: FilterSet (shared with the API), sorting, CSV,
empty state, query count; the comparison still offers every submission."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.listchecks import ListPageChecks
from profiles.models import Submission
from profiles.tests.factories import OneProfileTestCase


class SubmissionListTests(ListPageChecks, OneProfileTestCase):
    list_url_name = "profiles:submission-list"
    filter_query = {"kind": "annual_review"}
    sort = "submitted_at"

    def make_row(self, i: int, matching: bool) -> Any:
        return Submission.objects.create(
            company=self.company,
            profile=self.profile,
            number=i + 1,
            kind="annual_review" if matching else "submission",
            submitted_by=self.users["officer"],
            submitted_at=timezone.now() - datetime.timedelta(days=100 - i),
            signer_name=f"Signer {chr(65 + i)}{chr(65 + i)}x",
            signer_title="COO",
            attestation="I attest.",
            snapshot={},
        )

    def label(self, row: Any) -> str:
        return str(row.signer_name)

    def test_the_comparison_offers_every_submission_and_the_api_filters_alike(self) -> None:
        rows = [self.make_row(i, i == 0) for i in range(3)]
        page = self.page_text({"kind": "annual_review"})
        self.assertEqual(page.count('<option value="3"'), 2)  # both selects, all numbers
        answer = self.api_as("viewer").get(
            reverse("api:submission-list"), {"kind": "annual_review"}
        )
        self.assertEqual([r["id"] for r in answer.json()["results"]], [rows[0].pk])
