"""`ctpat load_demo` gives the program office a case at every stage, each brought there by
the real workflow functions, so a specialist and a supervisor find work at first sign-in."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certification.choices import AppealOutcome, ReportStatus, State
from certification.models import Certification
from demo.cases import EXPECTED_STATE, STAGES
from demo.management.commands.load_demo import DEMO_DOMAIN, STAGE_COMPANIES
from portal.testing import sign_in


class DemoCasesTests(TestCase):
    output: str

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_catalogue", stdout=StringIO())
        out = StringIO()
        call_command("load_demo", "--force", stdout=out)
        cls.output = out.getvalue()

    def case(self, key: str) -> Certification:
        name = next(d.fields["legal_name"] for d in STAGE_COMPANIES if d.key == key)
        return Certification.objects.select_related("company").get(company__legal_name=name)

    def test_each_stage_is_reached_with_its_events(self) -> None:
        for key, _label in STAGES:
            with self.subTest(stage=key):
                c = self.case(key)
                self.assertEqual(c.status, EXPECTED_STATE[key])
                transitions = list(c.events.order_by("pk").values_list("transition", flat=True))
                self.assertEqual(transitions[0], "apply")
                if key != "applied":
                    assert c.assigned_to is not None
                    self.assertEqual(c.assigned_to.email, f"specialist@{DEMO_DOMAIN}")

    def test_the_stages_hold_what_each_role_works_on(self) -> None:
        review = self.case("in_review")
        rejected = review.criterion_reviews.get(accepted=False)
        self.assertTrue(rejected.comment)
        self.assertIsNone(rejected.responded_at)  # waits for the member

        certified = self.case("certified")
        self.assertEqual(certified.tier, 1)
        report = certified.validation_reports.get()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)  # the supervisor's to approve

        validated = self.case("validated")
        self.assertEqual((validated.tier, validated.status), (2, State.VALIDATED))
        self.assertEqual(
            list(validated.events.values_list("transition", flat=True).order_by("pk")),
            ["apply", "start_review", "certify", "validate"],
        )

        suspended = self.case("suspended")
        due = suspended.suspension_response_due()
        assert due is not None
        self.assertGreater(due, timezone.localdate() + datetime.timedelta(days=80))
        self.assertEqual(suspended.suspension_response, "")

        appealed = self.case("appeal")
        appeal = appealed.appeals.get()
        self.assertEqual(appeal.outcome, AppealOutcome.PENDING)
        self.assertEqual(appeal.appealed_event.transition, "suspend")

    def test_the_logins_and_cases_are_printed(self) -> None:
        self.assertIn("Program-office cases", self.output)
        for key, label in STAGES:
            self.assertIn(label, self.output)
            self.assertIn(f"{key}.officer@{DEMO_DOMAIN}", self.output)

    def test_a_second_run_adds_no_event(self) -> None:
        from certification.models import CertificationEvent

        before = CertificationEvent.objects.count()
        call_command("load_demo", "--force", stdout=StringIO())
        self.assertEqual(CertificationEvent.objects.count(), before)

    def test_the_specialist_finds_the_cases_in_the_queue(self) -> None:
        sign_in(self.client, User.objects.get(email=f"specialist@{DEMO_DOMAIN}"))
        page = self.client.get(reverse("certification:certification-list"))
        self.assertContains(page, "Pacific Rim Apparel Imports LLC")
        self.assertContains(page, "Ferretera Industrial del Norte")

    def test_the_specialist_and_supervisor_find_their_work_on_the_home_page(self) -> None:
        sign_in(self.client, User.objects.get(email=f"specialist@{DEMO_DOMAIN}"))
        home = self.client.get(reverse("home"))
        self.assertContains(home, "5 open cases assigned to you")
        self.assertContains(home, "1 application waits for a specialist")
        sign_in(self.client, User.objects.get(email=f"supervisor@{DEMO_DOMAIN}"))
        home = self.client.get(reverse("home"))
        self.assertContains(home, "1 validation report awaits your approval")
        self.assertContains(home, "1 appeal awaits a decision")

    def test_the_review_shows_the_member_s_answers_and_a_document(self) -> None:
        review = self.case("in_review")
        sign_in(self.client, User.objects.get(email=f"specialist@{DEMO_DOMAIN}"))
        page = self.client.get(f"{review.get_absolute_url()}?tab=review")
        self.assertContains(page, "Written procedure in place since 2024")
        self.assertContains(page, "security-policy.pdf")
        self.assertNotContains(page, "The member has not started its security profile")
