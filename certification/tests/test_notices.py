"""The member hears of each step of its case that concerns it: in the inbox of its
officer and administrators and by e-mail, once, with a link to the page to act on."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.choices import Outcome, ReportStatus, State, VettingItem
from certification.models import CertificationEvent, ValidationReport
from certification.tests.factories import certification_in, clear_vetting
from certification.tests.test_profile_response import _criteria
from certification.workflow import vetting as vetting_flow
from notices.models import Notice
from portal.testing import PersonaTestCase


class CaseNoticeTests(PersonaTestCase):
    def notices(self, kind: str) -> list[Notice]:
        return list(Notice.objects.filter(kind=kind).order_by("user__email"))

    def test_review_started_then_a_rejected_criterion_with_its_comment(self) -> None:
        certification = certification_in(State.APPLIED, self.company)
        specialist = self.users["specialist"]
        with self.captureOnCommitCallbacks(execute=True):
            workflow.perform("start_review", certification, by=specialist)
        started = self.notices("review_started")
        self.assertEqual([n.user.email for n in started], ["admin@acme.test", "officer@acme.test"])
        self.assertEqual(
            started[0].url, reverse("certification_member:status", args=[self.company.pk])
        )
        criterion, _other = _criteria()
        with self.captureOnCommitCallbacks(execute=True):
            workflow.review_criterion(
                certification, criterion, accepted=False, by=specialist, comment="Say how often."
            )
        [rejected, _] = self.notices("criterion_rejected")
        self.assertEqual(rejected.title, "Criterion 3.1 of your security profile was rejected")
        self.assertIn("Say how often.", rejected.body)
        self.assertEqual(
            rejected.url, reverse("certification_member:profile-review", args=[self.company.pk])
        )
        self.assertIn("Say how often.", mail.outbox[-1].body)
        # Accepting it tells nobody; the users and viewers of the company are not told.
        workflow.review_criterion(certification, criterion, accepted=True, by=specialist)
        self.assertEqual(len(self.notices("criterion_rejected")), 2)
        self.assertFalse(Notice.objects.filter(user=self.users["viewer"]).exists())

    def test_vetting_outcome_then_certified_with_its_tier(self) -> None:
        certification = certification_in(State.UNDER_REVIEW, self.company)
        specialist = self.users["specialist"]
        vetting_flow.record_vetting(
            certification, VettingItem.BONDS, Outcome.FAILED, by=specialist, note="No bond on file."
        )
        [failed, _] = self.notices("vetting_failed")
        self.assertIn("No bond on file.", failed.body)
        clear_vetting(certification)
        self.assertEqual(len(self.notices("vetting_passed")), 2)  # once each, not per item
        with self.captureOnCommitCallbacks(execute=True):
            workflow.perform("certify", certification, by=specialist)
        [certified, _] = self.notices("certified")
        self.assertEqual(certified.title, "Acme Imports LLC is CTPAT certified: tier 1")
        self.assertIn("CTPAT certified: tier 1", mail.outbox[-1].subject)

    def test_validation_planned_and_report_approved_with_actions_and_due_date(self) -> None:
        certification = certification_in(State.CERTIFIED, self.company)
        report = ValidationReport.objects.create(
            certification=certification,
            summary="Visit.",
            tier_outcome=2,
            drafted_by=self.users["specialist"],
            planned_start=timezone.localdate(),
            planned_end=timezone.localdate(),
            sites="Laredo warehouse",
        )
        [planned, _] = self.notices("validation_planned")
        self.assertIn("Laredo warehouse", planned.body)
        report.save()  # saving again with the same dates tells nobody twice
        self.assertEqual(len(self.notices("validation_planned")), 2)
        report.required_actions = "Fix the fence."
        report.status = ReportStatus.SUBMITTED
        report.save()
        workflow.decide_report(report, by=self.users["supervisor"], approve=True)
        [approved, _] = self.notices("report_approved")
        report.refresh_from_db()
        self.assertEqual(approved.title, "Validation report approved: tier 2")
        self.assertIn("Fix the fence.", approved.body)
        self.assertIn(str(report.response_due()), approved.body)
        self.assertEqual(
            approved.url,
            reverse("certification_member:report-respond", args=[self.company.pk, report.pk]),
        )

    def test_suspension_with_its_clock_then_the_appeal_decision(self) -> None:
        certification = certification_in(State.CERTIFIED, self.company)
        workflow.perform(
            "suspend",
            certification,
            by=self.users["specialist"],
            reason="Failed validation.",
            suspension_reason="failed_validation",
        )
        certification.refresh_from_db()
        [suspended, _] = self.notices("suspended")
        due = certification.suspension_response_due()
        self.assertEqual(suspended.title, f"CTPAT benefits suspended: respond by {due}")
        self.assertIn("Failed validation", suspended.body)
        event = CertificationEvent.objects.get(transition="suspend")
        appeal = workflow.file_appeal(event, by=self.users["officer"], grounds="We fixed it.")
        workflow.decide_appeal(appeal, by=self.users["supervisor"], reverse=False)
        [decided, _] = self.notices("appeal_decided")
        self.assertEqual(decided.title, "Your appeal was decided: Decision upheld")

    def test_a_spanish_member_hears_in_spanish(self) -> None:
        certification = certification_in(State.APPLIED, self.other_company)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.perform("start_review", certification, by=self.users["specialist"])
        [started] = self.notices("review_started")
        self.assertEqual(
            started.title, "La oficina del programa comenzó la revisión de su solicitud CTPAT"
        )
        self.assertEqual(mail.outbox[-1].to, ["admin@norte.test"])


class CaseDocumentNoticeTests(PersonaTestCase):
    def test_a_document_reaches_the_other_side_of_the_case(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from profiles.tests.factories import PDF_BYTES

        certification = certification_in(State.UNDER_REVIEW, self.company)
        certification.assigned_to = self.users["specialist"]
        certification.save(update_fields=["assigned_to"])
        self.login("specialist")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                f"/program-office/accounts/{certification.pk}/documents/",
                {"title": "Visit agenda", "file": SimpleUploadedFile("agenda.pdf", PDF_BYTES)},
            )
        members = Notice.objects.filter(kind="document_from_office").order_by("user__email")
        self.assertEqual([n.user.email for n in members], ["admin@acme.test", "officer@acme.test"])
        self.assertIn("#documents", members[0].url)
        self.login("officer")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                f"/companies/{self.company.pk}/certification/documents/",
                {"title": "Signed agenda", "file": SimpleUploadedFile("s.pdf", PDF_BYTES)},
            )
        [office] = Notice.objects.filter(kind="document_from_member")
        self.assertEqual(office.user, self.users["specialist"])
        self.assertIn("tab=documents", office.url)
