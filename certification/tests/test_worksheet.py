"""The validation worksheet: the specialist records, per MSC criterion of the member's
business type (the shipped catalogue), what the team observed and the finding; at
submission the required actions and recommendations become the report's findings, a
supervisor approves, and the member answers the required actions within the window."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from catalogue.models import Catalogue, Criterion
from catalogue.tests.factories import make_catalogue, shipped_rows
from certification import workflow
from certification.choices import Finding, ReportStatus, State
from certification.models import ValidationReport, WorksheetEntry
from certification.tests.factories import certification_in
from certification.workflow import TransitionNotAllowed
from portal.testing import PersonaTestCase


class WorksheetTests(PersonaTestCase):
    importer_criteria: list[Criterion]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        catalogue: Catalogue = make_catalogue(shipped_rows())
        catalogue.publish()
        cls.importer_criteria = list(catalogue.criteria_for("importer").order_by("pk"))

    def setUp(self) -> None:
        self.certification = certification_in(State.CERTIFIED, self.company)
        self.login("specialist")
        response = self.client.post(
            reverse("certification:validationreport-create", args=[self.certification.pk]),
            {
                "summary": "Visit to the Laredo warehouse.",
                "tier_outcome": "2",
                "with_visit": "on",
                "planned_start": "2026-12-01",
                "planned_end": "2026-12-02",
                "draft": "1",
            },
        )
        self.report = ValidationReport.objects.get()
        self.worksheet = reverse("certification:validationreport-worksheet", args=[self.report.pk])
        self.assertRedirects(response, self.worksheet)

    def _save(self, criterion: Criterion, **data: str) -> object:
        url = reverse("certification:worksheetentry-save", args=[self.report.pk, criterion.pk])
        prefixed = {f"c{criterion.pk}-{k}": v for k, v in data.items()}
        return self.client.post(url, prefixed, HTTP_HX_REQUEST="true")

    def test_worksheet_lists_the_criteria_of_the_business_type(self) -> None:
        self.assertEqual(self.report.status, ReportStatus.DRAFT)
        page = self.client.get(self.worksheet)
        total = len(self.importer_criteria)
        self.assertGreater(total, 50)
        self.assertContains(page, f"0 of {total} criteria recorded")
        for criterion in self.importer_criteria[:3]:
            self.assertContains(page, f'data-testid="ws-{criterion.ref_id}"')
        carrier_only = Criterion.objects.exclude(
            pk__in=[c.pk for c in self.importer_criteria]
        ).first()
        if carrier_only is not None:
            url = reverse(
                "certification:worksheetentry-save", args=[self.report.pk, carrier_only.pk]
            )
            self.assertEqual(self.client.post(url, {}).status_code, 404)

    def test_row_saves_inline_and_a_finding_needs_a_note(self) -> None:
        first = self.importer_criteria[0]
        row = self._save(first, observation="not_observed", finding="required_action", note="")
        self.assertContains(row, "has a finding")  # type: ignore[arg-type]
        self.assertFalse(WorksheetEntry.objects.exists())
        row = self._save(
            first, observation="not_observed", finding="required_action", note="Write it down."
        )
        self.assertContains(row, "saved")  # type: ignore[arg-type]
        self.assertNotContains(row, "<html")  # type: ignore[arg-type]
        self._save(first, observation="observed", finding="none", note="")
        entry = WorksheetEntry.objects.get()
        self.assertEqual((entry.observation, entry.finding), ("observed", Finding.NONE))

    def test_findings_flow_into_the_report_and_the_member_answers(self) -> None:
        a, b, c = self.importer_criteria[:3]
        self._save(a, observation="not_observed", finding="required_action", note="Seal log.")
        self._save(b, observation="observed", finding="recommendation", note="Add cameras.")
        self._save(c, observation="not_applicable", finding="none", note="No reefers.")
        response = self.client.post(
            self.worksheet, {"summary": "Visited Laredo.", "tier_outcome": "2"}
        )
        self.assertRedirects(response, self.certification.get_absolute_url() + "?tab=validation")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SUBMITTED)
        self.assertEqual(self.report.required_actions, f"{a.ref_id}: Seal log.")
        self.assertEqual(self.report.recommendations, f"{b.ref_id}: Add cameras.")
        # Locked once submitted.
        with self.assertRaisesMessage(TransitionNotAllowed, "locked"):
            workflow.record_worksheet_entry(
                self.report, a, by=self.users["specialist"], observation="observed"
            )

        workflow.decide_report(self.report, by=self.users["supervisor"], approve=True)
        self.report.refresh_from_db()
        due = timezone.localdate() + datetime.timedelta(days=30)
        self.assertEqual(self.report.response_due(), due)

        status = reverse("certification_member:status", args=[self.company.pk])
        self.login("viewer")
        page = self.client.get(status)
        self.assertContains(page, f"{a.ref_id}: Seal log.")
        self.assertContains(page, due.isoformat())
        respond = reverse(
            "certification_member:report-respond", args=[self.company.pk, self.report.pk]
        )
        self.assertEqual(self.client.post(respond, {"response": "x"}).status_code, 404)
        self.login("officer")
        self.client.post(respond, {"response": "The seal log is kept since 1 December."})
        self.report.refresh_from_db()
        self.assertEqual(self.report.member_response, "The seal log is kept since 1 December.")

        # Close-out waits for the program office to accept the response.
        self.login("specialist")
        with self.assertRaisesMessage(TransitionNotAllowed, "must be accepted"):
            workflow.perform("validate", self.certification, by=self.users["specialist"])
        workflow.accept_report_response(self.report, by=self.users["specialist"])
        workflow.perform("validate", self.certification, by=self.users["specialist"])
        self.certification.refresh_from_db()
        self.assertEqual((self.certification.status, self.certification.tier), ("validated", 2))

    def test_response_after_the_window_is_refused(self) -> None:
        self.client.post(self.worksheet, {"summary": "Remote.", "tier_outcome": "2"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.required_actions, "")  # no worksheet: typed text only
        ValidationReport.objects.filter(pk=self.report.pk).update(
            status=ReportStatus.APPROVED,
            required_actions="Fix the fence.",
            decided_by=self.users["supervisor"],
            decided_at=timezone.now() - datetime.timedelta(days=31),
        )
        self.login("officer")
        respond = reverse(
            "certification_member:report-respond", args=[self.company.pk, self.report.pk]
        )
        response = self.client.post(respond, {"response": "Fixed."}, follow=True)
        self.assertContains(response, "The response window closed on")
        self.assertEqual(ValidationReport.objects.get().member_response, "")
