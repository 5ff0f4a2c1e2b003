"""The program-office dashboard (cases by state, clocks at risk, workload, reports
awaiting approval, CSV), and pinned query counts of the case and worksheet pages: they do
not grow with the catalogue, the evidence files or the number of cases."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.tests.factories import make_catalogue, shipped_rows
from certification.choices import ReportStatus, State
from certification.models import Certification, ValidationReport
from certification.tests.factories import certification_in
from certification.workspace import TABS
from portal.testing import PersonaTestCase, make_company


class DashboardTests(PersonaTestCase):
    def test_cases_by_state_clocks_at_risk_workload_reports_and_csv(self) -> None:
        late = certification_in(State.UNDER_REVIEW, self.company)  # applied 800 days ago
        late.assigned_to = self.users["specialist"]
        late.save()
        soon = certification_in(
            State.CERTIFIED,
            self.other_company,
            certified_at=timezone.now() - datetime.timedelta(days=355),
        )
        ValidationReport.objects.create(
            certification=soon,
            summary="Visit.",
            tier_outcome=2,
            status=ReportStatus.SUBMITTED,
            drafted_by=self.users["specialist"],
        )
        certification_in(State.VALIDATED, self.third_company)
        self.login("supervisor")
        page = self.client.get(reverse("certification:dashboard"))
        self.assertContains(page, 'data-testid="state-under_review">1<')
        self.assertContains(page, 'data-testid="state-certified">1<')
        self.assertContains(page, 'data-testid="state-validated">1<')
        self.assertContains(page, "Certify by (90-day SLA)")
        self.assertContains(page, "Validation due (1 year)")
        self.assertNotContains(page, "Revalidation due")  # years away: not at risk
        self.assertContains(page, "specialist@cbp.test")
        self.assertContains(page, 'data-testid="reports-awaiting"')
        self.assertContains(page, "Transportes del Norte")
        csv = self.client.get(reverse("certification:dashboard") + "?export=csv")
        lines = csv.content.decode().strip().splitlines()
        self.assertEqual(
            lines[0], "account,company,status,tier,specialist,clock,what,due,days_left"
        )
        self.assertEqual(len(lines), 3)
        self.assertIn("certification", lines[1])
        self.assertIn("specialist@cbp.test", lines[1])

    def test_every_clock_named_in_the_issue_shows_when_at_risk(self) -> None:
        """90-day certification, 1-year validation, 4-year revalidation, the suspension
        response, the 30- and 90-day appeal windows and the 180-day appeal decision: each
        on the dashboard and in its CSV once it is due within 30 days."""
        from certification.choices import AppealKind
        from certification.models import Appeal, CertificationEvent

        now = timezone.now()
        ago = lambda days: now - datetime.timedelta(days=days)  # noqa: E731
        certification_in(State.UNDER_REVIEW, make_company("Review Co"), applied_at=ago(80))
        certification_in(State.CERTIFIED, make_company("Year Co"), certified_at=ago(355))
        certification_in(
            State.VALIDATED, make_company("Four Co"), last_validated_at=ago(4 * 365 - 10)
        )
        false_info = certification_in(
            State.SUSPENDED,
            make_company("Suspended Co"),
            suspended_at=ago(80),
            suspension_reason="false_information",
        )
        CertificationEvent.objects.filter(
            pk=CertificationEvent.objects.create(
                certification=false_info, transition="suspend", to_status=State.SUSPENDED
            ).pk
        ).update(created_at=ago(10))
        rejected = certification_in(State.REJECTED, make_company("Rejected Co"))
        CertificationEvent.objects.filter(
            pk=CertificationEvent.objects.create(
                certification=rejected, transition="reject", to_status=State.REJECTED
            ).pk
        ).update(created_at=ago(70))
        appealed = certification_in(State.SUSPENDED, make_company("Appeal Co"))
        Appeal.objects.create(
            certification=appealed,
            appealed_event=CertificationEvent.objects.create(
                certification=appealed, transition="suspend", to_status=State.SUSPENDED
            ),
            kind=AppealKind.BENEFIT_DENIAL,
            grounds="We fixed it.",
            filed_by=self.users["officer"],
            filed_at=ago(170),
        )
        self.login("supervisor")
        page = self.client.get(reverse("certification:dashboard"))
        labels = {
            "certification": "Certify by (90-day SLA)",
            "validation": "Validation due (1 year)",
            "revalidation": "Revalidation due (4 years)",
            "suspension": "Suspension response due (90 days)",
            "appeal_window": "Appeal window (30 days)",
            "appeal": "Appeal decision due (180 days)",
        }
        for label in [*labels.values(), "Appeal window (90 days)"]:
            with self.subTest(label=label):
                self.assertContains(page, label)
        csv = self.client.get(reverse("certification:dashboard") + "?export=csv")
        rows = [line.split(",") for line in csv.content.decode().strip().splitlines()[1:]]
        found = {(row[5], row[6]) for row in rows}
        for key, label in labels.items():
            self.assertIn((key, label), found)
        self.assertIn(("appeal_window", "Appeal window (90 days)"), found)
        self.assertTrue(all(int(row[-1]) <= 30 for row in rows))

    def test_members_get_404(self) -> None:
        self.login("officer")
        self.assertEqual(self.client.get(reverse("certification:dashboard")).status_code, 404)

    def test_dashboard_queries_do_not_grow_with_the_cases(self) -> None:
        certification_in(State.UNDER_REVIEW, self.company)
        self.login("supervisor")
        url = reverse("certification:dashboard")
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(5):
            certification_in(State.CERTIFIED, make_company(f"Extra {n}"))
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        self.assertEqual(len(few), len(many))


class PinnedQueriesTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_catalogue(shipped_rows()).publish()

    def test_case_tabs_and_worksheet_use_a_fixed_number_of_queries(self) -> None:
        from profiles.tests.factories import add_evidence, answer, start_profile

        certification = certification_in(State.CERTIFIED, self.company)
        profile = start_profile(self.company)
        for ref in ("1.1", "1.2", "2.1"):
            add_evidence(answer(profile, ref, status="implemented", narrative="Done."))
        report = ValidationReport.objects.create(
            certification=certification,
            summary="Visit.",
            tier_outcome=2,
            drafted_by=self.users["specialist"],
        )
        self.login("specialist")
        # Pinned: the number of queries each page makes (session, user, case, its
        # records); a change here means a query per row crept in, or one was saved.
        pins = {
            "application": 10,
            "vetting": 9,
            "review": 14,
            "validation": 8,
            "enforcement": 8,
            "documents": 9,
            "history": 8,
        }
        for tab, _label in TABS:
            with self.subTest(tab=tab), self.assertNumQueries(pins[tab]):
                self.client.get(f"{certification.get_absolute_url()}?tab={tab}")
        worksheet = reverse("certification:validationreport-worksheet", args=[report.pk])
        with self.assertNumQueries(11):
            page = self.client.get(worksheet)
        self.assertContains(page, "of 96 criteria recorded")
        self.assertContains(page, "policy.pdf")
        # Ten times the evidence: the same number of queries.
        for response in profile.responses.all()[:30]:
            add_evidence(response, "Photo", name="photo.pdf")
        with self.assertNumQueries(11):
            self.client.get(worksheet)
        with self.assertNumQueries(14):
            self.client.get(f"{certification.get_absolute_url()}?tab=review")
        self.assertEqual(Certification.objects.count(), 1)
