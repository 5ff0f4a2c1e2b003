"""The annual review: the anniversary, the 90-day window, "reviewed, no change", and the
reminder schedule (controlled time, nothing sent twice)."""

from __future__ import annotations

import datetime
import time
from io import StringIO
from typing import Any

import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import CorrectiveAction
from applications.models import Application
from catalogue.models import Catalogue
from core.models import SentReminder
from core.reminders import send_reminders
from profiles import annual, workflow
from profiles.choices import ReviewOutcome, SubmissionKind
from profiles.models import AnnualReview, SecurityProfile, Submission
from profiles.tests.factories import (
    ProfilesTestCase,
    add_evidence,
    answer,
    make_catalogue,
    submit,
)

APPLIED = datetime.datetime(2025, 3, 10, 15, 0, tzinfo=datetime.UTC)
DUE = datetime.date(2026, 3, 10)  # first anniversary


def at(day: datetime.date) -> Any:
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), datetime.UTC), tick=False
    )


def confirm_mfa(client: Any, user: Any) -> None:
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "mfa", "type": "totp", "reauthenticated": True, "at": time.time()}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


class AnnualTestCase(ProfilesTestCase):
    catalogue: Catalogue
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        Application.objects.create(company=cls.company, status="submitted", submitted_at=APPLIED)
        cls.profile = SecurityProfile.start(cls.company)
        answer(cls.profile, "1.2", status="implemented")
        submit(cls.profile, cls.users["officer"], when=APPLIED)


class CycleTests(AnnualTestCase):
    def test_the_anniversary_is_the_application_date_until_certification(self) -> None:
        self.assertEqual(annual.anniversary(self.company), datetime.date(2025, 3, 10))
        self.assertIsNone(annual.anniversary(self.other_company))

    def test_the_window_opens_90_days_before_the_due_date(self) -> None:
        for day, status in (
            (datetime.date(2025, 12, 9), "upcoming"),
            (datetime.date(2025, 12, 10), "open"),
            (DUE, "open"),
            (datetime.date(2026, 3, 11), "overdue"),
        ):
            with self.subTest(day=day):
                cycle = annual.current_cycle(self.company, day)
                assert cycle is not None
                self.assertEqual((cycle.due_date, cycle.status), (DUE, status))

    def test_a_missed_year_gives_way_when_the_next_window_opens(self) -> None:
        cycle = annual.current_cycle(self.company, datetime.date(2026, 12, 10))
        assert cycle is not None
        self.assertEqual((cycle.year, cycle.due_date), (2, datetime.date(2027, 3, 10)))

    def test_29_february_falls_on_28_february_in_other_years(self) -> None:
        self.assertEqual(
            annual.add_years(datetime.date(2024, 2, 29), 1), datetime.date(2025, 2, 28)
        )


class ReviewTests(AnnualTestCase):
    def test_no_change_is_recorded_inside_the_window(self) -> None:
        with at(datetime.date(2026, 2, 1)):
            review = workflow.attest_no_change(self.company, self.users["officer"])
            self.assertEqual(
                (review.due_date, review.outcome, review.late),
                (DUE, ReviewOutcome.NO_CHANGE, False),
            )
            cycle = annual.current_cycle(self.company)
            assert cycle is not None
            self.assertEqual(cycle.status, "done")
            with self.assertRaises(workflow.ReviewNotOpen):
                workflow.attest_no_change(self.company, self.users["officer"])

    def test_no_change_is_refused_before_the_window_opens(self) -> None:
        with at(datetime.date(2025, 11, 1)), self.assertRaises(workflow.ReviewNotOpen):
            workflow.attest_no_change(self.company, self.users["officer"])
        self.assertFalse(AnnualReview.objects.exists())

    def test_no_change_is_refused_while_changes_are_unsubmitted(self) -> None:
        answer(self.profile, "3.1", status="partly")
        with at(datetime.date(2026, 2, 1)), self.assertRaises(workflow.SubmissionRefused):
            workflow.attest_no_change(self.company, self.users["officer"])

    def test_a_late_review_counts_and_is_marked_late(self) -> None:
        with at(datetime.date(2026, 4, 1)):
            review = workflow.attest_no_change(self.company, self.users["officer"])
        self.assertTrue(review.late)

    def test_a_submission_inside_the_window_completes_the_review(self) -> None:
        answer(self.profile, "3.1", status="partly")
        signature = workflow.Signature("Dana Price", "COO", "I attest", None)
        with at(datetime.date(2026, 1, 15)):
            submission = workflow.submit_profile(self.profile, self.users["officer"], signature)
        self.assertEqual(submission.kind, SubmissionKind.ANNUAL_REVIEW)
        review = AnnualReview.objects.get()
        self.assertEqual(
            (review.due_date, review.outcome, review.submission),
            (DUE, ReviewOutcome.CHANGES_SUBMITTED, submission),
        )

    def test_changes_submitted_outside_the_window_do_not_count(self) -> None:
        answer(self.profile, "3.1", status="partly")
        signature = workflow.Signature("Dana Price", "COO", "I attest", None)
        with at(datetime.date(2025, 11, 1)):
            submission = workflow.submit_profile(self.profile, self.users["officer"], signature)
        self.assertEqual(submission.kind, SubmissionKind.SUBMISSION)
        self.assertFalse(AnnualReview.objects.exists())
        cycle = annual.current_cycle(self.company, datetime.date(2026, 1, 1))
        assert cycle is not None
        self.assertEqual(cycle.status, "open")

    def test_the_officer_attests_on_the_page_after_the_mfa_check(self) -> None:
        url = reverse("profiles:annual-review", args=[self.company.pk])
        with at(datetime.date(2026, 2, 1)):
            self.login("officer")
            self.assertEqual(self.client.post(url, {"attest": "on"}).status_code, 302)
            self.assertFalse(AnnualReview.objects.exists())  # sent to the MFA page first
            confirm_mfa(self.client, self.users["officer"])
            response = self.client.post(url, {"attest": "on"})
            self.assertRedirects(response, url, fetch_redirect_response=False)
            page = self.client.get(url)
        self.assertContains(page, "Reviewed, no change")
        self.assertEqual(AnnualReview.objects.get().completed_by, self.users["officer"])


class ReminderScheduleTests(AnnualTestCase):
    def run_on(self, day: datetime.date) -> list[str]:
        """Run the daily command on `day`; the subjects of the e-mails it sent."""
        before = len(mail.outbox)
        with at(day), self.captureOnCommitCallbacks(execute=True):
            call_command("send_reminders", stdout=StringIO())
        return [str(m.subject) for m in mail.outbox[before:]]

    def test_reminders_go_out_at_90_60_30_14_7_and_1_days_and_when_overdue(self) -> None:
        sent: dict[datetime.date, list[str]] = {}
        day = datetime.date(2025, 12, 1)
        while day <= datetime.date(2026, 3, 20):
            subjects = [s for s in self.run_on(day) if "review" in s]
            if subjects:
                sent[day] = subjects
            day += datetime.timedelta(days=1)
        self.assertEqual(
            [(DUE - d).days for d in sent],
            [90, 60, 30, 14, 7, 1, -1],
        )
        self.assertIn("due in 90 days (2026-03-10)", sent[datetime.date(2025, 12, 10)][0])
        self.assertIn("overdue (due 2026-03-10)", sent[datetime.date(2026, 3, 11)][0])
        self.assertEqual(
            sorted(SentReminder.objects.filter(stage="90").values_list("recipient", flat=True)),
            ["admin@acme.test", "officer@acme.test"],
        )
        link = settings.CTPAT_SITE_URL + reverse("profiles:annual-review", args=[self.company.pk])
        self.assertIn(link, mail.outbox[0].body)

    def test_running_twice_the_same_day_sends_nothing_twice(self) -> None:
        self.assertEqual(len(self.run_on(datetime.date(2026, 1, 9))), 2)  # 60 days, 2 people
        self.assertEqual(self.run_on(datetime.date(2026, 1, 9)), [])
        self.assertEqual(SentReminder.objects.count(), 2)

    def test_a_missed_run_sends_only_the_stage_reached(self) -> None:
        subjects = self.run_on(datetime.date(2026, 2, 20))  # 18 days left: the 30-day stage
        subject = (
            f"Annual security profile review: {self.company.legal_name}"
            " — due in 18 days (2026-03-10)"
        )
        self.assertEqual(subjects, [subject, subject])

    def test_no_reminder_once_the_review_is_done(self) -> None:
        with at(datetime.date(2026, 1, 2)):
            workflow.attest_no_change(self.company, self.users["officer"])
        self.assertEqual(self.run_on(datetime.date(2026, 3, 3)), [])

    def test_reminders_are_written_in_the_company_language(self) -> None:
        self.company.language = "es"
        self.company.save()
        subjects = self.run_on(datetime.date(2026, 3, 9))
        self.assertEqual(len(subjects), 2)
        self.assertIn("Revisión anual", subjects[0])
        self.assertIn("vence en 1 día", subjects[0])

    def test_evidence_expiry_reminds_the_owner(self) -> None:
        response = answer(self.profile, "3.1", owner=self.users["user"])
        add_evidence(response, "Partner certificate", expires_on=datetime.date(2025, 6, 30))
        self.assertEqual(
            self.run_on(datetime.date(2025, 5, 31)),
            ["Evidence to renew: Partner certificate — due in 30 days (2025-06-30)"],
        )
        self.assertEqual(mail.outbox[-1].to, ["user@acme.test"])
        self.assertIn(settings.CTPAT_SITE_URL + response.get_absolute_url(), mail.outbox[-1].body)
        self.assertEqual(
            self.run_on(datetime.date(2025, 6, 23)),
            ["Evidence to renew: Partner certificate — due in 7 days (2025-06-30)"],
        )
        self.assertEqual(
            self.run_on(datetime.date(2025, 7, 1)),
            ["Evidence to renew: Partner certificate — overdue (due 2025-06-30)"],
        )
        self.assertEqual(self.run_on(datetime.date(2025, 7, 2)), [])

    def test_corrective_actions_remind_their_owner(self) -> None:
        action = CorrectiveAction.objects.create(
            company=self.company,
            title="Fix the fence",
            owner=self.users["user"],
            due_date=datetime.date(2025, 6, 30),
        )
        self.assertEqual(
            self.run_on(datetime.date(2025, 6, 23)),
            ["Corrective action: Fix the fence — due in 7 days (2025-06-30)"],
        )
        self.assertEqual(mail.outbox[-1].to, ["user@acme.test"])
        self.assertIn(settings.CTPAT_SITE_URL + action.get_absolute_url(), mail.outbox[-1].body)
        self.assertEqual(self.run_on(datetime.date(2025, 6, 23)), [])
        self.assertEqual(
            self.run_on(datetime.date(2025, 7, 3)),
            ["Corrective action: Fix the fence — overdue (due 2025-06-30)"],
        )

    def test_dry_run_sends_nothing(self) -> None:
        out = StringIO()
        with at(datetime.date(2026, 1, 9)):
            call_command("send_reminders", "--dry-run", stdout=out)
        self.assertIn("2 reminder(s) would send", out.getvalue())
        self.assertIn("would send: annual_review", out.getvalue())
        self.assertFalse(SentReminder.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_the_run_records_then_the_task_sends(self) -> None:
        with at(datetime.date(2026, 1, 9)), self.captureOnCommitCallbacks(execute=True):
            due = send_reminders(timezone.localdate())
        self.assertEqual(len(due), 2)
        for row in SentReminder.objects.all():
            self.assertIsNotNone(row.sent_at)  # the immediate backend ran the task
        self.assertEqual(Submission.objects.count(), 1)
