"""A completed risk assessment refuses every change the same way on the page and through
the API: `risk.models.AssessmentCompleted` (a `core.refusals.NotAllowed`), which the API
answers 409 with its code and the page shows as a message; nothing is written."""

from __future__ import annotations

from django.urls import reverse

from portal.testing import PersonaTestCase, written
from risk import workflow
from risk.models import Assessment, AssessmentRefused, Node, SupplyChain
from risk.tests.factories import make_assessment, make_chain

TABLES = (Assessment, SupplyChain, Node)


class CompletedAssessmentRefusalTests(PersonaTestCase):
    def setUp(self) -> None:
        self.assessment = make_assessment(self.company, 2025)
        self.chain = make_chain(self.assessment)
        workflow.complete_assessment(self.assessment, self.users["admin"])

    def test_the_api_answers_409_with_the_code_and_writes_nothing(self) -> None:
        api = self.api_as("user")
        node = self.chain.nodes.get(order=2)
        with written(*TABLES) as by_api:
            answers = [
                api.patch(
                    reverse("api:risk-assessment-detail", args=[self.assessment.pk]),
                    {"method": "Changed"},
                    format="json",
                ),
                api.post(
                    reverse("api:supply-chain-list"),
                    {"assessment": self.assessment.pk, "name": "New chain"},
                    format="json",
                ),
                api.patch(
                    reverse("api:supply-chain-node-detail", args=[node.pk]),
                    {"name": "Renamed"},
                    format="json",
                ),
                api.delete(reverse("api:supply-chain-node-detail", args=[node.pk])),
                api.delete(reverse("api:risk-assessment-detail", args=[self.assessment.pk])),
            ]
        for answer in answers:
            self.assertEqual(answer.status_code, 409, answer.content)
            self.assertEqual(answer.json()["code"], "assessment_completed")
            self.assertIn("kept as a record", answer.json()["detail"])
        self.assertFalse(by_api, by_api)  # no row and no audit entry
        self.assertEqual(Assessment.objects.get(pk=self.assessment.pk).method, "")

    def test_the_page_shows_the_same_refusal(self) -> None:
        self.login("admin")
        response = self.client.post(
            reverse("risk:assessment-complete", args=[self.company.pk, self.assessment.pk]),
            follow=True,
        )
        self.assertContains(response, "This assessment is already completed.")
        response = self.client.post(
            reverse("risk:node-create", args=[self.company.pk, self.chain.pk]),
            {"name": "X", "kind": "transit", "country": "US", "mode": "road", "order": 3},
            follow=True,
        )
        self.assertContains(response, "kept as a record")
        self.assertEqual(self.chain.nodes.count(), 2)


class NoChainRefusalTests(PersonaTestCase):
    def test_completing_without_a_chain_is_refused_with_its_code(self) -> None:
        assessment = make_assessment(self.company, 2026)
        with self.assertRaises(AssessmentRefused) as caught:
            workflow.complete_assessment(assessment, self.users["admin"])
        self.assertEqual(
            (caught.exception.code, caught.exception.status), ("assessment_without_chains", 409)
        )
        self.login("admin")
        response = self.client.post(
            reverse("risk:assessment-complete", args=[self.company.pk, assessment.pk]), follow=True
        )
        self.assertContains(response, "Map at least one supply chain before completing.")
