"""One member account walked through its whole lifecycle by the workflow functions the
pages and the API call: at each step that concerns the member, its officer finds one
notice in the inbox and one e-mail with the same words (issue 16, item 4)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.utils import timezone

from certification import workflow
from certification.choices import Outcome, VettingItem
from certification.models import Certification, CertificationEvent, ValidationReport
from certification.tests.factories import load_real_dpl
from certification.tests.test_profile_response import _criteria
from notices.models import Notice
from portal.testing import PersonaTestCase


class LifecycleNoticeTests(PersonaTestCase):
    def step(self, action: Callable[[], Any]) -> Any:
        """Run one step as a request would: its transaction commits, its e-mails go."""
        with self.captureOnCommitCallbacks(execute=True):
            return action()

    def heard(self, kind: str) -> Notice:
        """The officer's one notice of `kind`, and its e-mail."""
        [notice] = Notice.objects.filter(kind=kind, user=self.users["officer"])
        mails = [m for m in mail.outbox if m.to == [self.users["officer"].email]]
        self.assertIn(notice.title, [m.subject for m in mails], kind)
        [message] = [m for m in mails if m.subject == notice.title]
        if notice.body:
            self.assertIn(notice.body.splitlines()[0], message.body)
        return notice

    def test_the_member_hears_of_every_step_in_the_inbox_and_by_e_mail(self) -> None:
        officer = self.users["officer"]
        specialist = self.users["specialist"]
        supervisor = self.users["supervisor"]
        criterion, _other = _criteria()
        c = workflow.certification_for(self.company)
        self.step(lambda: workflow.perform("apply", c, by=officer))
        self.step(lambda: workflow.assign(c, specialist, by=supervisor))

        # Review started.
        self.step(lambda: workflow.perform("start_review", c, by=specialist))
        self.assertIn("started the review", self.heard("review_started").title)

        # Vetting outcome: every item passed (told once, not once per item).
        load_real_dpl()  # the list screening needs an active list version
        self.step(lambda: workflow.screen_for_vetting(c, by=specialist))
        for item in VettingItem.values:
            with self.captureOnCommitCallbacks(execute=True):
                workflow.record_vetting(c, item, Outcome.PASSED, by=specialist, note="Checked.")
        self.assertEqual(self.heard("vetting_passed").title, "Vetting complete: every item passed")

        # Criterion rejected, with the specialist's comment; the member answers.
        review = self.step(
            lambda: workflow.review_criterion(
                c, criterion, accepted=False, by=specialist, comment="Say how often."
            )
        )
        rejected = self.heard("criterion_rejected")
        self.assertEqual(rejected.title, "Criterion 3.1 of your security profile was rejected")
        self.assertIn("Say how often.", rejected.body)
        self.step(lambda: workflow.respond_to_criterion(review, by=officer, response="Monthly."))
        self.step(lambda: workflow.review_criterion(c, criterion, accepted=True, by=specialist))
        self.assertEqual(Notice.objects.filter(kind="criterion_rejected", user=officer).count(), 1)

        # Certified, with its tier.
        self.step(lambda: workflow.perform("certify", c, by=specialist))
        certified = self.heard("certified")
        self.assertEqual(certified.title, "Acme Imports LLC is CTPAT certified: tier 1")

        # Validation planned, with its dates and sites.
        start = timezone.localdate() + datetime.timedelta(days=10)
        report = ValidationReport(
            certification=c,
            planned_start=start,
            planned_end=start + datetime.timedelta(days=1),
            sites="Laredo warehouse",
            summary="Visit.",
            tier_outcome=2,
        )
        self.step(lambda: workflow.plan_report(report, by=specialist))
        planned = self.heard("validation_planned")
        self.assertIn(str(start), planned.title)
        self.assertIn("Laredo warehouse", planned.body)

        # Report approved, with its required actions and their due date.
        report.required_actions = "Screen every new partner before the first order."
        report.save(update_fields=["required_actions"])
        self.step(lambda: workflow.submit_report(report, by=specialist))
        approved_report = self.step(
            lambda: workflow.decide_report(report, by=supervisor, approve=True)
        )
        approved = self.heard("report_approved")
        self.assertEqual(approved.title, "Validation report approved: tier 2")
        self.assertIn("Screen every new partner before the first order.", approved.body)
        due = approved_report.response_due()
        self.assertIsNotNone(due)
        self.assertIn(str(due), approved.body)

        # The member answers, the office accepts, the validation closes: tier 2.
        self.step(lambda: workflow.respond_to_report(approved_report, by=officer, response="Done."))
        self.step(lambda: workflow.accept_report_response(approved_report, by=specialist))
        self.step(lambda: workflow.perform("validate", c, by=specialist))
        validated = self.heard("validated")
        self.assertEqual(
            validated.title, "Validation closed: Acme Imports LLC is certified at tier 2"
        )

        # Suspension, with its response clock.
        self.step(
            lambda: workflow.perform(
                "suspend",
                c,
                by=specialist,
                reason="Unsealed trailers at the yard.",
                suspension_reason="security_incident",
            )
        )
        c.refresh_from_db()
        clock = c.suspension_response_due()
        suspended = self.heard("suspended")
        self.assertEqual(suspended.title, f"CTPAT benefits suspended: respond by {clock}")
        self.assertIn(str(clock), suspended.body)

        # Appeal decision: reversed, so the member is reinstated at the tier it had.
        event = CertificationEvent.objects.filter(certification=c, transition="suspend").latest(
            "created_at"
        )
        appeal = self.step(lambda: workflow.file_appeal(event, by=officer, grounds="Fixed."))
        self.step(lambda: workflow.decide_appeal(appeal, by=supervisor, reverse=True))
        decided = self.heard("appeal_decided")
        self.assertEqual(decided.title, "Your appeal was decided: Decision reversed")
        reinstated = self.heard("reinstated")
        self.assertEqual(reinstated.title, "CTPAT benefits reinstated: tier 2")
        # Reinstatement is not reported as a second validation.
        self.assertEqual(Notice.objects.filter(kind="validated", user=officer).count(), 1)
        self.assertEqual(Certification.objects.get(pk=c.pk).tier, 2)

        # Each step told the officer once, and the viewer of the company nothing.
        kinds = list(
            Notice.objects.filter(user=officer).order_by("pk").values_list("kind", flat=True)
        )
        self.assertEqual(
            kinds,
            [
                "review_started",
                "vetting_passed",
                "criterion_rejected",
                "certified",
                "validation_planned",
                "report_approved",
                "validated",
                "suspended",
                "appeal_decided",
                "reinstated",
            ],
        )
        self.assertFalse(Notice.objects.filter(user=self.users["viewer"]).exists())
