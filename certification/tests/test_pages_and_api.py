"""The program-office pages and the certification API: the queue picks up submitted
applications, pages and API run the same steps and explain refusals, and the member sees
rejected criteria and answers them."""

from __future__ import annotations

import json
import unittest
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Catalogue, Criterion
from certification import workflow
from certification.choices import ReportStatus, State
from certification.models import Certification, CertificationEvent, ValidationReport
from certification.tests.factories import certification_in
from portal.testing import PersonaTestCase


def _criterion() -> Criterion:
    catalogue = Catalogue.objects.create(
        slug="msc-importers", version="2019", name="MSC", effective_date=timezone.localdate()
    )
    return Criterion.objects.create(
        catalogue=catalogue,
        ref_id="3.1",
        category_number=3,
        sequence=1,
        focus_area="Partners",
        category_name="Business partners",
        requirement="must",
        summary="Screen partners.",
        evidence="Procedure",
    )


def _has_applications() -> bool:
    try:
        apps.get_model("applications", "Application")
    except LookupError:
        return False
    return True


class QueueTests(PersonaTestCase):
    @unittest.skipUnless(_has_applications(), "applications app not installed")
    def test_a_submitted_application_enters_the_queue_once(self) -> None:
        application_model = apps.get_model("applications", "Application")
        application_model.objects.create(
            company=self.company, status="submitted", submitted_at=timezone.now()
        )
        application_model.objects.create(company=self.other_company, status="draft")
        self.login("specialist")
        response = self.client.get(reverse("certification:certification-list"))
        self.assertContains(response, "Acme Imports LLC")
        self.assertNotContains(response, "Transportes del Norte")
        self.client.get(reverse("certification:certification-list"))
        certification = Certification.objects.get(company=self.company)
        self.assertEqual(certification.status, State.APPLIED)
        self.assertEqual(certification.events.count(), 1)
        self.assertEqual(certification.events.get().actor_role, "system")

    def test_sla_breach_is_shown(self) -> None:
        certification_in(State.UNDER_REVIEW, self.company)  # applied 800 days ago
        self.login("supervisor")
        response = self.client.get(reverse("certification:certification-list"))
        self.assertContains(response, "SLA breached")


class PageStepTests(PersonaTestCase):
    def test_page_runs_a_step_and_shows_a_refusal_as_a_form_error(self) -> None:
        certification = certification_in(State.APPLIED, self.company)
        self.login("specialist")
        url = reverse("certification:certification-transition", args=[certification.pk])
        response = self.client.post(url, {"transition": "start_review"})
        self.assertRedirects(response, certification.get_absolute_url() + "?tab=application")
        response = self.client.post(url, {"transition": "certify"})
        self.assertContains(response, "Vetting is not complete")
        certification.refresh_from_db()
        self.assertEqual(certification.status, State.UNDER_REVIEW)

    def test_a_step_not_offered_to_the_role_is_a_field_error(self) -> None:
        certification = certification_in(State.SUSPENDED, self.company)
        self.login("specialist")
        url = reverse("certification:certification-transition", args=[certification.pk])
        response = self.client.post(url, {"transition": "reinstate", "reason": "Plan."})
        self.assertContains(response, "Select a valid choice")
        self.assertEqual(Certification.objects.get().status, State.SUSPENDED)

    def test_report_submitted_once_on_double_click_then_approved_by_supervisor(self) -> None:
        certification = certification_in(State.CERTIFIED, self.company)
        self.login("specialist")
        url = reverse("certification:validationreport-create", args=[certification.pk])
        data = {
            "summary": "Visited.",
            "tier_outcome": "3",
            "with_visit": "on",
            "submission_key": "8d0f7a8e-3c8e-4a55-9f2b-2a5b3c1d9e10",
        }
        self.client.post(url, data)
        self.client.post(url, data)
        report = ValidationReport.objects.get()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        decide = reverse("certification:validationreport-decide", args=[report.pk])
        self.client.post(decide, {"approve": "1"})
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)  # the author's own: refused
        self.login("supervisor")
        self.client.post(decide, {"approve": "1"})
        self.client.post(
            reverse("certification:certification-transition", args=[certification.pk]),
            {"transition": "validate"},
        )
        certification.refresh_from_db()
        self.assertEqual((certification.status, certification.tier), (State.VALIDATED, 3))


class ApiTests(PersonaTestCase):
    def _post(self, name: str, pk: int, data: dict[str, object]) -> Any:
        return self.client.post(
            reverse(name, args=[pk]), data=json.dumps(data), content_type="application/json"
        )

    def test_officer_withdraws_and_a_refused_step_is_409(self) -> None:
        certification = certification_in(State.APPLIED, self.company)
        self.login("officer")
        detail = self.client.get(reverse("api:certification-detail", args=[certification.pk]))
        self.assertEqual(detail.json()["allowed_transitions"], ["withdraw"])
        refused = self._post(
            "api:certification-transition", certification.pk, {"transition": "certify"}
        )
        self.assertEqual(refused.status_code, 409)
        done = self._post(
            "api:certification-transition", certification.pk, {"transition": "withdraw"}
        )
        self.assertEqual(done.json()["status"], State.WITHDRAWN)
        again = self._post(
            "api:certification-transition", certification.pk, {"transition": "withdraw"}
        )
        self.assertEqual(again.status_code, 409)
        self.assertEqual(CertificationEvent.objects.count(), 1)

    def test_member_sees_rejected_criteria_and_answers(self) -> None:
        certification = certification_in(State.UNDER_REVIEW, self.company)
        review = workflow.review_criterion(
            certification,
            _criterion(),
            accepted=False,
            by=self.users["specialist"],
            comment="Add the screening frequency.",
        )
        self.login("user")
        listing = self.client.get(reverse("api:criterionreview-list")).json()["results"]
        self.assertEqual(
            [(r["ref_id"], r["comment"]) for r in listing],
            [("3.1", "Add the screening frequency.")],
        )
        answer = self._post("api:criterionreview-respond", review.pk, {"text": "Monthly."})
        self.assertEqual(answer.json()["member_response"], "Monthly.")
        self.login("other")
        self.assertEqual(self.client.get(reverse("api:criterionreview-list")).json()["results"], [])
