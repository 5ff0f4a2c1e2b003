"""Each role's home: what it shows, where its links lead, and a query count that does not
grow with the data (more partners, inspections, actions, clients)."""

from __future__ import annotations

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import CorrectiveAction
from certification.models import Certification
from companies.models import Company, Membership
from inspections.models import Inspection
from notices.views import task_count
from partners.models import BusinessPartner, PartnerScreening
from personnel.models import Employee, SecurityRole
from portal import homes
from portal.testing import PersonaTestCase, add_member, make_company, make_user, sign_in
from questionnaires.models import Questionnaire
from seals.models import Seal, SealEvent

# The member home's queries (session, user, MFA, menu, program path, counts, my tasks —
# one each for the Trade Compliance letter and the two site-audit kinds, one for training,
# as the company has no course, one each for criteria owned, unowned and rejected,
# questionnaires and screening alerts); pinned: a change here is a decision, not an
# accident.
HOME_QUERIES = 25


def _action(company: Company, title: str, days: int) -> CorrectiveAction:
    return CorrectiveAction.objects.create(
        company=company,
        title=title,
        due_date=timezone.localdate() + datetime.timedelta(days=days),
        status="open",
    )


class MemberHomeTests(PersonaTestCase):
    def test_a_new_member_is_told_to_check_eligibility(self) -> None:
        self.login("officer")
        page = self.client.get(reverse("home"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Next step")
        self.assertContains(page, reverse("eligibility:check", args=[self.company.pk]))
        self.assertContains(page, 'aria-current="step"')

    def test_the_tier_and_status_show_once_certified(self) -> None:
        Certification.objects.create(
            company=self.company, status="validated", tier=2, certified_at=timezone.now()
        )
        self.login("admin")
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Validated")
        self.assertContains(page, "Tier 2")

    def test_an_overdue_corrective_action_shows_on_the_home(self) -> None:
        _action(self.company, "Replace the broken gate lock", -3)
        self.login("admin")
        page = self.client.get(reverse("home"))
        self.assertContains(page, "1 overdue corrective action")
        self.assertContains(page, "Replace the broken gate lock")  # in my tasks

    def test_the_header_count_follows_the_persons_own_change_at_once(self) -> None:
        admin = self.users["admin"]
        action = _action(self.company, "Replace the broken gate lock", -3)
        self.login("admin")
        before = task_count(admin)  # the header asked a moment ago, and keeps its answer
        self.client.get(reverse("actions:action-list", args=[self.company.pk]))
        self.assertEqual(task_count(admin), before)
        done = self.client.post(
            reverse("actions:action-detail", args=[self.company.pk, action.pk]),
            {
                "title": action.title,
                "due_date": str(action.due_date),
                "status": "done",
                "completion_note": "Lock replaced",
            },
        )
        self.assertLess(done.status_code, 400)
        action.refresh_from_db()
        self.assertEqual(action.status, "done")
        self.assertEqual(task_count(admin), before - 1)

    def test_the_viewer_sees_status_and_readiness_but_no_tasks(self) -> None:
        self.login("viewer")
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Readiness")
        self.assertContains(page, "CTPAT status")
        self.assertNotContains(page, "My tasks")
        self.assertNotContains(page, 'data-testid="next-step"')

    def test_someone_without_a_company_is_offered_to_create_one(self) -> None:
        sign_in(self.client, make_user("new@nowhere.test"))
        page = self.client.get(reverse("home"))
        self.assertContains(page, reverse("companies:company-create"))

    def test_the_program_office_is_sent_to_its_work_not_to_create_a_company(self) -> None:
        self.login("specialist")
        page = self.client.get(reverse("home"))
        self.assertNotContains(page, "Create your company")
        self.assertContains(page, 'data-testid="next-step"')

    def test_the_query_count_does_not_grow_with_the_data(self) -> None:
        self.login("officer")
        url = reverse("home")
        _action(self.company, "First", -1)
        _action(self.company, "Second", 3)
        self.client.get(url)  # warm caches (catalogue, checklists, sessions)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        for i in range(30):
            _action(self.company, f"Action {i}", i - 15)
            partner = BusinessPartner.objects.create(
                company=self.company, name=f"Partner {i}", role="highway_carrier", country="MX"
            )
            # An open screening alert and a questionnaire past its date on each.
            PartnerScreening.objects.create(partner=partner, threshold=88.0, status="alert")
            Questionnaire.objects.create(
                company=self.company,
                partner=partner,
                template_key="carrier",
                template_version="1",
                contact_email="p@example.test",
                token_hash=f"{i:064d}",
                expires_at=timezone.now() - datetime.timedelta(days=i + 1),
            )
        with CaptureQueriesContext(connection) as large:
            self.client.get(url)
        self.assertEqual(len(small), len(large))
        self.assertEqual(len(large), HOME_QUERIES)


def _portfolio(html: str) -> str:
    return html[html.index('data-testid="portfolio"') :]


class ConsultantHomeTests(PersonaTestCase):
    def test_the_portfolio_lists_every_client_with_overdue_counts(self) -> None:
        add_member(self.third_company, make_user("officer@maple.test"), "officer")
        _action(self.third_company, "Seal audit findings", -5)
        self.login("consultant")
        page = self.client.get(reverse("home"))
        self.assertContains(page, 'data-testid="portfolio"')
        text = _portfolio(page.content.decode())
        self.assertIn("Acme Imports LLC", text)
        self.assertIn("Maple Brokers Inc", text)
        # Overdue first by default: the client with the overdue action comes first.
        self.assertLess(text.index("Maple Brokers Inc"), text.index("Acme Imports LLC"))
        self.assertContains(
            page, reverse("actions:action-list", args=[self.third_company.pk]) + "?overdue=true"
        )

    def test_sorts_both_ways_and_exports_the_same_rows(self) -> None:
        self.login("consultant")
        up = _portfolio(self.client.get(reverse("home"), {"sort": "name"}).content.decode())
        self.assertLess(up.index("Acme Imports LLC"), up.index("Maple Brokers Inc"))
        self.assertIn('aria-sort="ascending"', up)
        down = _portfolio(self.client.get(reverse("home"), {"sort": "-name"}).content.decode())
        self.assertLess(down.index("Maple Brokers Inc"), down.index("Acme Imports LLC"))
        export = self.client.get(reverse("home"), {"sort": "name", "export": "csv"})
        rows = list(csv.reader(io.StringIO(export.content.decode())))
        self.assertEqual(rows[0][0], "client")
        self.assertEqual([r[0] for r in rows[1:]], ["Acme Imports LLC", "Maple Brokers Inc"])

    def test_the_query_count_does_not_grow_with_clients(self) -> None:
        self.login("consultant")
        url = reverse("home")
        _action(self.company, "Late at Acme", -1)
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        for i in range(5):
            client = make_company(f"Client {i} SA")
            add_member(client, self.users["consultant"], "consultant")
            _action(client, f"Late {i}", -1)
        with CaptureQueriesContext(connection) as large:
            self.client.get(url)
        self.assertEqual(len(small), len(large))


class FieldHomeTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        role = SecurityRole.objects.create(
            company=self.company, code="guard", name_en="Security guard", name_es="Guardia"
        )
        employee = Employee.objects.create(
            company=self.company, first_name="Luis", last_name="Ortega", email="user@acme.test"
        )
        employee.roles.add(role)

    def test_a_guard_starts_on_the_field_page_in_spanish(self) -> None:
        self.login("user")
        page = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(
            page, reverse("inspections:inspection-create", args=[self.company.pk, "truck17"])
        )
        self.assertContains(page, "Iniciar una inspección")

    def test_recent_inspections_without_a_query_per_row(self) -> None:
        self.login("user")
        url = reverse("home")
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        for i in range(5):
            Inspection.objects.create(
                company=self.company,
                checklist_key="truck17",
                checklist_name="17-point",
                iit_number=f"TRLU{i:07d}",
                direction="inbound",
                inspector=self.users["user"],
            )
        with CaptureQueriesContext(connection) as large:
            page = self.client.get(url)
        self.assertContains(page, "TRLU0000004")
        self.assertEqual(len(small), len(large))

    def test_a_busy_gate_shows_the_last_seals_moved_today_in_spanish(self) -> None:
        seals = Seal.objects.bulk_create(
            [
                Seal(company=self.company, number=f"S{i:07d}", manufacturer="T")
                for i in range(homes.SEALS_SHOWN + 5)
            ]
        )
        now = timezone.now()
        SealEvent.objects.bulk_create(
            [
                SealEvent(
                    seal=seal,
                    kind="received",
                    at=now - datetime.timedelta(seconds=i),
                    by=self.users["officer"],
                )
                for i, seal in enumerate(seals)
            ]
        )
        self.login("user")
        page = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(page, "S0000000")  # the latest
        self.assertContains(page, f"S{homes.SEALS_SHOWN - 1:07d}")
        self.assertNotContains(page, f"S{homes.SEALS_SHOWN:07d}")  # older: in the seal log
        self.assertContains(page, "Recibido", count=homes.SEALS_SHOWN)


class MembershipIsolationTests(PersonaTestCase):
    def test_the_home_never_shows_another_companys_work(self) -> None:
        _action(self.other_company, "Norte secret action", -2)
        for persona in ("officer", "consultant", "viewer"):
            self.login(persona)
            self.assertNotContains(self.client.get(reverse("home")), "Norte secret action")
        self.assertTrue(Membership.objects.exists())


class ProgramOfficeHomeTests(PersonaTestCase):
    """A specialist or supervisor finds their work on signing in, not an empty page."""

    def setUp(self) -> None:
        from certification.choices import ReportStatus, State
        from certification.models import Appeal, CertificationEvent, ValidationReport
        from certification.tests.factories import certification_in

        self.mine = certification_in(
            State.UNDER_REVIEW, self.company, assigned_to=self.users["specialist"]
        )
        certification_in(State.APPLIED, self.third_company)  # nobody took it yet
        suspended = certification_in(State.SUSPENDED, self.other_company)
        event = CertificationEvent.objects.create(
            certification=suspended, transition="suspend", to_status=State.SUSPENDED
        )
        Appeal.objects.create(
            certification=suspended,
            appealed_event=event,
            kind="benefit_denial",
            grounds="We fixed it.",
            filed_by=self.users["other"],
            filed_at=timezone.now(),
        )
        ValidationReport.objects.create(
            certification=suspended,
            summary="Visit.",
            tier_outcome=2,
            status=ReportStatus.SUBMITTED,
            drafted_by=self.users["specialist"],
        )

    def test_the_specialist_sees_its_cases_and_the_unassigned_queue(self) -> None:
        self.login("specialist")
        page = self.client.get(reverse("home"))
        self.assertContains(page, "1 open case assigned to you")
        self.assertContains(page, "1 application waits for a specialist")
        self.assertContains(page, reverse("certification:certification-list") + "?mine=true")
        self.assertNotContains(page, "awaits your approval")  # a supervisor's work
        self.assertNotContains(page, "appeal awaits a decision")

    def test_the_supervisor_sees_reports_and_appeals_to_decide(self) -> None:
        self.login("supervisor")
        page = self.client.get(reverse("home"))
        self.assertContains(page, "1 validation report awaits your approval")
        self.assertContains(page, "1 appeal awaits a decision")
        self.assertNotContains(page, "assigned to you")

    def test_the_query_count_does_not_grow_with_the_cases(self) -> None:
        from certification.choices import State
        from certification.tests.factories import certification_in

        self.login("specialist")
        url = reverse("home")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(6):
            certification_in(
                State.UNDER_REVIEW,
                make_company(f"Queue {n}"),
                assigned_to=self.users["specialist"] if n % 2 else None,
            )
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(url)
        self.assertContains(page, "4 open cases assigned to you")
        self.assertEqual(len(few), len(many))
