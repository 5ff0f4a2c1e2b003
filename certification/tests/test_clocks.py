"""Every lifecycle clock under controlled time, the self-reporting rule, and the
maker-checker rule on validation reports."""

from __future__ import annotations

import datetime

import time_machine

from certification import workflow
from certification.choices import AppealKind, AppealOutcome, ReportStatus, State
from certification.models import Certification, CertificationEvent, ValidationReport
from certification.tests.factories import (
    approved_report,
    certification_in,
    clear_vetting,
    load_real_dpl,
)
from certification.workflow import TransitionNotAllowed, perform
from companies.models import Company
from portal.testing import PersonaTestCase, make_company

START = datetime.datetime(2026, 1, 5, 15, 0, tzinfo=datetime.UTC)


def at(days: int) -> datetime.datetime:
    return START + datetime.timedelta(days=days)


class ClockTests(PersonaTestCase):
    def _certified(self) -> Certification:
        certification = workflow.certification_for(self.company)
        with time_machine.travel(START, tick=False):
            perform("apply", certification, by=self.users["officer"])
            perform("start_review", certification, by=self.users["specialist"])
        clear_vetting(certification)
        with time_machine.travel(at(30), tick=False):
            return perform("certify", certification, by=self.users["specialist"])

    def test_certification_sla_is_90_days_from_the_application(self) -> None:
        certification = workflow.certification_for(self.company)
        with time_machine.travel(START, tick=False):
            perform("apply", certification, by=self.users["officer"])
        certification.refresh_from_db()
        self.assertEqual(certification.certification_due(), datetime.date(2026, 4, 5))
        self.assertFalse(certification.sla_breached(datetime.date(2026, 4, 5)))
        self.assertTrue(certification.sla_breached(datetime.date(2026, 4, 6)))

    def test_validation_due_a_year_after_certification_then_every_four_years(self) -> None:
        certification = self._certified()
        self.assertEqual(certification.validation_due(), datetime.date(2027, 2, 4))
        self.assertEqual(
            workflow.certification_anniversary(self.company), datetime.date(2026, 2, 4)
        )
        with time_machine.travel(at(300), tick=False):
            approved_report(
                certification, self.users["specialist"], self.users["supervisor"], tier=3
            )
        with time_machine.travel(at(301), tick=False):
            certification = perform("validate", certification, by=self.users["specialist"])
        self.assertEqual((certification.status, certification.tier), (State.VALIDATED, 3))
        self.assertEqual(certification.validation_due(), datetime.date(2030, 11, 2))

    def test_validation_closes_only_with_a_fresh_approved_report(self) -> None:
        certification = self._certified()
        with self.assertRaisesMessage(TransitionNotAllowed, "approved its report"):
            perform("validate", certification, by=self.users["specialist"])

    def test_suspension_response_window_is_90_days_then_the_system_removes(self) -> None:
        certification = self._certified()
        with time_machine.travel(at(100), tick=False):
            perform(
                "suspend",
                certification,
                by=self.users["specialist"],
                reason="Seizure at Laredo.",
                suspension_reason="security_incident",
            )
        certification.refresh_from_db()
        self.assertEqual(certification.suspension_response_due(), at(190).date())
        with time_machine.travel(at(190), tick=False):
            with self.assertRaises(TransitionNotAllowed):
                perform("remove", certification, by=None, reason="No response.")
        with time_machine.travel(at(191), tick=False):
            with self.assertRaisesMessage(TransitionNotAllowed, "window closed"):
                workflow.respond_to_suspension(
                    certification, by=self.users["officer"], response="Fixed the gate."
                )
            certification = perform("remove", certification, by=None, reason="No response.")
        self.assertEqual(certification.status, State.REMOVED)

    def test_a_response_in_time_stops_the_automatic_removal(self) -> None:
        certification = self._certified()
        with time_machine.travel(at(100), tick=False):
            perform(
                "suspend",
                certification,
                by=self.users["specialist"],
                reason="Audit.",
                suspension_reason="failed_validation",
            )
        with time_machine.travel(at(150), tick=False):
            workflow.respond_to_suspension(
                certification, by=self.users["officer"], response="Plan."
            )
        with time_machine.travel(at(400), tick=False), self.assertRaises(TransitionNotAllowed):
            perform("remove", certification, by=None, reason="No response.")

    def test_reinstatement_returns_to_the_prior_tier_with_the_plan(self) -> None:
        certification = certification_in(State.VALIDATED, self.company, tier=3)
        perform(
            "suspend",
            certification,
            by=self.users["supervisor"],
            reason="Audit.",
            suspension_reason="failed_validation",
        )
        certification = perform(
            "reinstate", certification, by=self.users["supervisor"], reason="New seal procedure."
        )
        self.assertEqual((certification.status, certification.tier), (State.VALIDATED, 3))
        self.assertEqual(certification.corrective_action_plan, "New seal procedure.")

    def test_removed_company_reapplies_only_after_a_year(self) -> None:
        certification = self._certified()
        with time_machine.travel(at(100), tick=False):
            perform("remove", certification, by=self.users["supervisor"], reason="Flagrant.")
        with time_machine.travel(at(100 + 364), tick=False):
            with self.assertRaisesMessage(TransitionNotAllowed, "2027-04-15"):
                perform("apply", certification, by=self.users["officer"])
        with time_machine.travel(at(100 + 365), tick=False):
            certification = perform("apply", certification, by=self.users["officer"])
        self.assertEqual(certification.status, State.APPLIED)
        self.assertIsNone(certification.tier)

    def test_self_reported_incident_does_not_suspend_until_the_joint_review_fails(self) -> None:
        certification = self._certified()
        details = {"suspension_reason": "security_incident", "self_reported": True}
        with self.assertRaisesMessage(TransitionNotAllowed, "reported this incident itself"):
            perform("suspend", certification, by=self.users["specialist"], reason="x", **details)
        certification = perform(
            "suspend",
            certification,
            by=self.users["specialist"],
            reason="No due diligence.",
            joint_review_failed=True,
            **details,
        )
        self.assertEqual(certification.status, State.SUSPENDED)

    def _decision(self, reason: str, when: datetime.datetime) -> CertificationEvent:
        certification = self._certified()
        with time_machine.travel(when, tick=False):
            perform(
                "suspend",
                certification,
                by=self.users["specialist"],
                reason="x",
                suspension_reason=reason,
            )
        return CertificationEvent.objects.get(transition="suspend")

    def test_false_information_appeals_within_30_days(self) -> None:
        event = self._decision("false_information", at(100))
        with (
            time_machine.travel(at(131), tick=False),
            self.assertRaisesMessage(TransitionNotAllowed, "window closed"),
        ):
            workflow.file_appeal(event, by=self.users["officer"], grounds="It was a typo.")
        with time_machine.travel(at(130), tick=False):
            appeal = workflow.file_appeal(event, by=self.users["officer"], grounds="A typo.")
        self.assertEqual(appeal.kind, AppealKind.FALSE_INFORMATION)
        self.assertEqual(appeal.decision_due(), at(130 + 180).date())
        self.assertFalse(appeal.decision_overdue(at(310).date()))
        self.assertTrue(appeal.decision_overdue(at(311).date()))

    def test_benefit_denial_appeals_within_90_days_and_reversal_reinstates(self) -> None:
        event = self._decision("failed_validation", at(100))
        with time_machine.travel(at(191), tick=False), self.assertRaises(TransitionNotAllowed):
            workflow.file_appeal(event, by=self.users["officer"], grounds="Fixed.")
        with time_machine.travel(at(190), tick=False):
            appeal = workflow.file_appeal(event, by=self.users["officer"], grounds="Fixed.")
            again = workflow.file_appeal(event, by=self.users["officer"], grounds="Fixed.")
        self.assertEqual(appeal.pk, again.pk)
        self.assertEqual(appeal.kind, AppealKind.BENEFIT_DENIAL)
        appeal = workflow.decide_appeal(appeal, by=self.users["supervisor"], reverse=True)
        self.assertEqual(appeal.outcome, AppealOutcome.REVERSED)
        self.assertEqual(Certification.objects.get().status, State.CERTIFIED)


class MakerCheckerTests(PersonaTestCase):
    def _submitted(self, author: str) -> ValidationReport:
        certification = certification_in(State.CERTIFIED, self.company)
        report = ValidationReport.objects.create(
            certification=certification,
            summary="Remote validation.",
            tier_outcome=2,
            drafted_by=self.users[author],
            with_visit=False,
        )
        return workflow.submit_report(report, by=self.users[author])

    def test_an_author_cannot_approve_their_own_report(self) -> None:
        report = self._submitted("supervisor")
        with self.assertRaisesMessage(TransitionNotAllowed, "author"):
            workflow.decide_report(report, by=self.users["supervisor"], approve=True)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)

    def test_a_specialist_cannot_approve_any_report(self) -> None:
        report = self._submitted("specialist")
        with self.assertRaises(TransitionNotAllowed):
            workflow.decide_report(report, by=self.users["specialist"], approve=True)

    def test_supervisor_approves_or_returns_with_a_note(self) -> None:
        report = self._submitted("specialist")
        with self.assertRaisesMessage(TransitionNotAllowed, "note"):
            workflow.decide_report(report, by=self.users["supervisor"], approve=False)
        report = workflow.decide_report(report, by=self.users["supervisor"], approve=True)
        self.assertEqual(report.status, ReportStatus.APPROVED)
        self.assertEqual(workflow.pending_close_out(report.certification), report)

    def _tier_3_report(self, company: Company) -> ValidationReport:
        return ValidationReport.objects.create(
            certification=certification_in(State.CERTIFIED, company),
            summary="x",
            tier_outcome=3,
            drafted_by=self.users["specialist"],
        )

    def test_tier_3_is_for_importers_and_exporters_only(self) -> None:
        """Source: CBP, CTPAT Best Practices Framework (2021): Tier 3 is open to importers
        and exporters whose practices exceed the minimum security criteria."""
        # The persona company is an importer; a highway carrier cannot reach tier 3.
        report = self._tier_3_report(self.other_company)
        with self.assertRaisesMessage(TransitionNotAllowed, "importers and exporters"):
            workflow.submit_report(report, by=self.users["specialist"])
        for business_type in ("importer", "exporter"):
            company = make_company(f"Tier 3 {business_type}", business_type=business_type)
            report = self._tier_3_report(company)
            with self.subTest(business_type):
                workflow.submit_report(report, by=self.users["specialist"])
                report.refresh_from_db()
                self.assertEqual(report.status, ReportStatus.SUBMITTED)


class CertifyConditionTests(PersonaTestCase):
    def test_certify_needs_vetting_cleared_or_overridden(self) -> None:
        certification = workflow.certification_for(self.company)
        perform("apply", certification, by=self.users["officer"])
        perform("start_review", certification, by=self.users["specialist"])
        with self.assertRaisesMessage(TransitionNotAllowed, "Vetting is not complete"):
            perform("certify", certification, by=self.users["specialist"])
        for item in ("identifiers", "bonds", "unpaid_debt", "open_source"):
            workflow.record_vetting(certification, item, "passed", by=self.users["specialist"])
        load_real_dpl()
        workflow.screen_for_vetting(certification, by=self.users["specialist"])
        check = workflow.record_vetting(
            certification, "list_screening", "failed", by=self.users["specialist"], note="Name hit"
        )
        with self.assertRaisesMessage(TransitionNotAllowed, "screening"):
            perform("certify", certification, by=self.users["specialist"])
        with self.assertRaises(TransitionNotAllowed):
            workflow.override_vetting(check, by=self.users["specialist"], reason="False match")
        workflow.override_vetting(check, by=self.users["supervisor"], reason="False match")
        certification = perform("certify", certification, by=self.users["specialist"])
        self.assertEqual((certification.status, certification.tier), (State.CERTIFIED, 1))
        self.assertEqual(certification.assigned_to, self.users["specialist"])


class ValidationResponseTests(PersonaTestCase):
    def test_required_actions_answered_within_30_days_and_accepted_before_close_out(self) -> None:
        certification = certification_in(State.CERTIFIED, self.company)
        with time_machine.travel(START, tick=False):
            report = approved_report(
                certification, self.users["specialist"], self.users["supervisor"]
            )
            report.required_actions = "Install cameras at the dock."
            report.save()
        self.assertEqual(report.response_due(), at(30).date())
        with self.assertRaisesMessage(TransitionNotAllowed, "must be accepted"):
            perform("validate", certification, by=self.users["specialist"])
        with (
            time_machine.travel(at(31), tick=False),
            self.assertRaisesMessage(TransitionNotAllowed, "window closed"),
        ):
            workflow.respond_to_report(report, by=self.users["officer"], response="Done.")
        with time_machine.travel(at(30), tick=False):
            with self.assertRaises(TransitionNotAllowed):
                workflow.respond_to_report(report, by=self.users["user"], response="Done.")
            workflow.respond_to_report(report, by=self.users["officer"], response="Cameras in.")
        workflow.accept_report_response(report, by=self.users["specialist"])
        certification = perform("validate", certification, by=self.users["specialist"])
        self.assertEqual((certification.status, certification.tier), (State.VALIDATED, 2))
