"""The close-validation bug (issue 16): a specialist certifies and plans the validation, a
supervisor who is not the author approves the report, and "Close the validation" must
then take the company to the report's tier, through the real pages."""

from __future__ import annotations

from django.urls import reverse

from catalogue.tests.factories import make_catalogue, shipped_rows
from certification import workflow
from certification.choices import ReportStatus, State
from certification.models import Certification, ValidationReport
from certification.tests.factories import clear_vetting
from portal.testing import PersonaTestCase


class CloseValidationTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_catalogue(shipped_rows()).publish()

    def _step(self, certification: Certification, name: str, **extra: str) -> object:
        url = reverse("certification:certification-transition", args=[certification.pk])
        return self.client.post(url, {"transition": name, **extra})

    def _plan(self, certification: Certification) -> ValidationReport:
        self.client.post(
            reverse("certification:validationreport-create", args=[certification.pk]),
            {
                "summary": "Visit planned.",
                "tier_outcome": "2",
                "with_visit": "on",
                "planned_start": "2026-12-01",
                "planned_end": "2026-12-02",
                "draft": "1",
            },
        )
        return ValidationReport.objects.latest("pk")

    def _submit_and_approve(self, report: ValidationReport) -> None:
        self.client.post(
            reverse("certification:validationreport-worksheet", args=[report.pk]),
            {"summary": "The warehouse meets the MSC.", "tier_outcome": "2"},
        )
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.login("supervisor")
        page = self.client.get(report.certification.get_absolute_url() + "?tab=validation")
        self.assertContains(page, 'data-testid="decide-form"')
        self.client.post(
            reverse("certification:validationreport-decide", args=[report.pk]), {"approve": "1"}
        )
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.APPROVED)

    def test_specialist_certifies_plans_supervisor_approves_then_close_gives_tier_2(self) -> None:
        certification = workflow.certification_for(self.company)
        workflow.perform("apply", certification, by=self.users["officer"])
        self.login("specialist")
        self._step(certification, "start_review")
        clear_vetting(certification)
        self._step(certification, "certify")
        certification.refresh_from_db()
        self.assertEqual((certification.status, certification.tier), (State.CERTIFIED, 1))
        report = self._plan(certification)
        page = self.client.get(certification.get_absolute_url() + "?tab=validation")
        self.assertNotContains(page, 'data-testid="step-validate"')  # it could only be refused
        self.assertContains(page, "appears once a supervisor has approved the report")
        self._submit_and_approve(report)
        self.login("specialist")
        page = self.client.get(certification.get_absolute_url() + "?tab=validation")
        self.assertContains(page, 'data-testid="step-validate"')
        response = self._step(certification, "validate")
        tab = certification.get_absolute_url() + "?tab=validation"
        self.assertRedirects(response, tab)  # type: ignore[arg-type]
        certification.refresh_from_db()
        self.assertEqual((certification.status, certification.tier), (State.VALIDATED, 2))
        self.assertContains(self.client.get(tab), "Validated — tier 2")

    def test_a_second_close_needs_a_new_report(self) -> None:
        certification = workflow.certification_for(self.company)
        workflow.perform("apply", certification, by=self.users["officer"])
        self.login("specialist")
        self._step(certification, "start_review")
        clear_vetting(certification)
        self._step(certification, "certify")
        self._submit_and_approve(self._plan(certification))
        self.login("specialist")
        self._step(certification, "validate")
        response = self._step(certification, "validate")
        self.assertContains(response, "A validation closes once a supervisor has approved")  # type: ignore[arg-type]
        self.assertEqual(certification.events.filter(transition="validate").count(), 1)

    def test_a_validation_is_not_planned_before_certification(self) -> None:
        certification = workflow.certification_for(self.company)
        workflow.perform("apply", certification, by=self.users["officer"])
        self.login("specialist")
        self._step(certification, "start_review")
        response = self.client.post(
            reverse("certification:validationreport-create", args=[certification.pk]),
            {"summary": "Too early.", "tier_outcome": "2", "draft": "1"},
        )
        self.assertContains(response, "once the member is certified")
        self.assertFalse(ValidationReport.objects.exists())
