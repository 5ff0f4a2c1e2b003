"""Running an eligibility check once through the wizard page and once through the API
writes the same rows and audit entries (both call `eligibility.workflow.run_check`) and
stores the same outcome; neither changes the company."""

from __future__ import annotations

import uuid

from django.urls import reverse

from companies.models import Company
from eligibility.models import EligibilityCheck
from eligibility.tests.factories import DefaultLanguage, all_met
from portal.testing import PersonaTestCase, written

TABLES = (EligibilityCheck, Company)


class CheckParityTests(DefaultLanguage, PersonaTestCase):
    def test_a_check_writes_the_same_from_the_page_and_the_api(self) -> None:
        answers = all_met()
        self.login("user")
        with written(*TABLES) as page:
            self.client.post(
                reverse("eligibility:check-answers", args=[self.company.pk]),
                {
                    "business_type": "importer",
                    "business_subtype": "",
                    "country": "US",
                    "submission_key": str(uuid.uuid4()),
                    **answers,
                },
            )
        with written(*TABLES) as api:
            answer = self.api_as("user").post(
                reverse("api:eligibility-check-list"),
                {"company": self.company.pk, "answers": answers},
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["eligibility.EligibilityCheck"], 1)
        self.assertEqual(page, api)
        stored = set(
            EligibilityCheck.objects.values_list(
                "business_type", "country", "qualifies", "created_by__email"
            )
        )
        self.assertEqual(stored, {("importer", "US", True, "user@acme.test")})
