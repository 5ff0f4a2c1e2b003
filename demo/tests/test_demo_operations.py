"""`ctpat load_demo` gives the importer and the carrier day-to-day operations (demo/
operations.py), made by the workflow functions, so each role's home has work on it; a
second run adds nothing."""

from __future__ import annotations

from io import StringIO

from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import models
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions.models import CorrectiveAction
from companies.models import Company
from demo import operations
from demo.management.commands.load_demo import DEMO_DOMAIN
from incidents.models import Incident
from inspections.models import GateEntry, Inspection, InspectionResult
from partners.models import OPEN_STATUSES, BusinessPartner, PartnerScreening
from personnel.models import Employee
from portal.testing import sign_in
from questionnaires.models import Answer, Questionnaire
from recognition.models import PartnerStatus, StatusProof
from risk.models import Node, SupplyChain
from seals.models import Seal, SealEvent
from siteaudits.models import AuditItem, SiteAudit
from training.models import TrainingRecord

COUNTED: list[type[models.Model]] = [
    BusinessPartner,
    PartnerScreening,
    PartnerStatus,
    StatusProof,
    Questionnaire,
    Answer,
    SupplyChain,
    Node,
    SiteAudit,
    AuditItem,
    Employee,
    TrainingRecord,
    Seal,
    SealEvent,
    Inspection,
    InspectionResult,
    GateEntry,
    Incident,
    CorrectiveAction,
    LogEntry,
]


def user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


class DemoOperationsTests(TestCase):
    output: str
    importer: Company
    carrier: Company

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_catalogue", stdout=StringIO())
        out = StringIO()
        call_command("load_demo", "--force", stdout=out)
        cls.output = out.getvalue()
        cls.importer = Company.objects.get(legal_name="Great Lakes Home Goods Inc.")
        cls.carrier = Company.objects.get(legal_name__startswith="Transportes Fronterizos")

    def test_a_second_run_adds_nothing(self) -> None:
        before = {m.__name__: m._default_manager.count() for m in COUNTED}
        self.assertTrue(all(before.values()), before)
        call_command("load_demo", "--force", stdout=StringIO())
        self.assertEqual({m.__name__: m._default_manager.count() for m in COUNTED}, before)

    def test_the_importer_has_a_dozen_partners_and_one_open_alert(self) -> None:
        partners = BusinessPartner.objects.filter(company=self.importer)
        self.assertEqual(partners.count(), len(operations.PARTNERS))
        self.assertGreaterEqual(len({p.country.code for p in partners}), 6)
        alerts = PartnerScreening.objects.filter(
            partner__company=self.importer, status__in=OPEN_STATUSES
        )
        self.assertEqual([a.partner.name for a in alerts], [operations.ALERT_PARTNER])
        with_status = partners.filter(program_statuses__proofs__isnull=False).distinct()
        self.assertGreaterEqual(with_status.count(), 6)

    def test_questionnaires_one_out_one_submitted_with_its_action(self) -> None:
        out = Questionnaire.objects.get(partner__name=operations.QUESTIONNAIRE_OUT)
        self.assertEqual(out.status, "sent")
        days_left = (out.expires_at - timezone.now()).days
        self.assertTrue(0 < days_left <= 14, days_left)
        back = Questionnaire.objects.get(partner__name=operations.QUESTIONNAIRE_IN)
        self.assertEqual(back.status, "submitted")
        action = CorrectiveAction.objects.for_source(
            back.answers.get(question_id=operations.WEAK_ANSWER)
        ).get()
        self.assertEqual(action.owner, user("importer.officer"))

    def test_the_failed_inspection_point_led_to_an_overdue_action(self) -> None:
        failed = Inspection.objects.get(company=self.carrier, points_failed=1)
        incident = Incident.objects.get(inspection=failed)
        action = CorrectiveAction.objects.for_source(incident).get()
        self.assertTrue(action.is_overdue())
        self.assertIn("tanque", incident.description)  # the carrier's staff read Spanish
        seal = Seal.objects.get(company=self.carrier, number="TFB0004501")
        self.assertEqual(seal.status, "affixed")  # today's inspection sealed the trailer

    def test_the_importer_officer_home_shows_a_task_and_the_alert(self) -> None:
        sign_in(self.client, user("importer.officer"))
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Corrective action: Ningbo Everbright")
        self.assertContains(page, "1 open screening alert")

    def test_the_compliance_admin_home_shows_the_site_audit_visit(self) -> None:
        sign_in(self.client, user("importer.admin"))
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Site audit visit: Hanoi Home Textiles JSC")

    def test_the_inspector_home_shows_recent_inspections_and_todays_seals(self) -> None:
        sign_in(self.client, user("carrier.user"))
        page = self.client.get(reverse("home"))
        self.assertContains(page, "TFBU 482211")
        self.assertContains(page, "1 point failed")
        self.assertContains(page, "TFB0004501")

    def test_the_carrier_officer_home_shows_the_overdue_action_and_training(self) -> None:
        sign_in(self.client, user("carrier.officer"))
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Revisar tanques de combustible")
        # The carrier's driver has no manager: his overdue course waits on the officer,
        # counted with anyone else nobody manages (the matrix it links to names him).
        self.assertContains(page, "Threat awareness and reporting incidents — 1 person due")
        self.assertContains(page, "state=open&amp;manager=none")

    def test_the_consultant_portfolio_shows_the_carrier_overdue_work(self) -> None:
        sign_in(self.client, user("consultant"))
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Transportes Fronterizos del Bravo")
        self.assertContains(page, "?overdue=true")
