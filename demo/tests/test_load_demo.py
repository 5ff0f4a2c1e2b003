"""`ctpat load_demo` and `ctpat demo_totp`: a demo world that loads twice without change."""

from __future__ import annotations

from io import StringIO

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import TestCase, override_settings
from django.urls import reverse

from accounts.models import User
from applications.models import Application
from companies.models import (
    Address,
    Company,
    Contact,
    Identifier,
    Membership,
    ProgramParticipation,
)
from demo.management.commands.load_demo import DEMO_PASSWORD, STAGE_COMPANIES
from eligibility.models import EligibilityCheck

COUNTED: list[type[models.Model]] = [
    User,
    EmailAddress,
    Authenticator,
    Company,
    Membership,
    Address,
    Contact,
    Identifier,
    ProgramParticipation,
    Application,
    EligibilityCheck,
    LogEntry,
]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def demo_totp(email: str) -> str:
    out = StringIO()
    call_command("demo_totp", email, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


class LoadDemoTests(TestCase):
    def setUp(self) -> None:
        # Not setUpTestData: the suite's fast password hasher is set per test.
        self.output = load_demo()

    def test_a_second_run_changes_nothing(self) -> None:
        before = {m.__name__: m._default_manager.count() for m in COUNTED}
        stamps = list(Company.objects.values_list("updated_at", flat=True))
        passwords = list(User.objects.values_list("password", flat=True))
        load_demo()
        self.assertEqual({m.__name__: m._default_manager.count() for m in COUNTED}, before)
        self.assertEqual(list(Company.objects.values_list("updated_at", flat=True)), stamps)
        self.assertEqual(list(User.objects.values_list("password", flat=True)), passwords)

    def test_the_demo_world_has_every_persona_the_issue_names(self) -> None:
        stage_names = [demo.fields["legal_name"] for demo in STAGE_COMPANIES]
        members = Company.objects.exclude(legal_name__in=stage_names)
        by_type = dict(members.values_list("business_type", "language"))
        self.assertEqual(
            by_type,
            {
                "importer": "en",
                "highway_carrier": "es",
                "foreign_manufacturer": "es",
                "customs_broker": "en",
            },
        )
        carrier = members.get(business_type="highway_carrier")
        self.assertEqual((carrier.country.code, carrier.business_subtype), ("MX", "us_mexico"))
        consultant = User.objects.get(email="consultant@demo.openctpat.test")
        self.assertEqual(Membership.objects.filter(user=consultant, role="consultant").count(), 2)
        roles = set(User.objects.exclude(program_role="").values_list("program_role", flat=True))
        self.assertEqual(roles, {"specialist", "supervisor"})

    def test_the_demo_companies_are_ready_to_sign_but_the_importer_needs_the_wizard(self) -> None:
        stage_names = [demo.fields["legal_name"] for demo in STAGE_COMPANIES]
        for company in Company.objects.exclude(legal_name__in=stage_names):
            with self.subTest(company=company.legal_name):
                missing = [i.key for i in Application.start(company).missing_items()]
                expected = ["eligibility"] if company.business_type == "importer" else []
                self.assertEqual(missing, expected)

    def test_everyone_who_must_use_mfa_has_the_demo_authenticator(self) -> None:
        for user in User.objects.all():
            with self.subTest(user=user.email):
                has_totp = Authenticator.objects.filter(user=user, type="totp").exists()
                self.assertEqual(has_totp, user.requires_mfa())

    def test_the_demo_shows_an_invitation_that_opens_as_set_a_password(self) -> None:
        from companies.models import Invitation

        invitation = Invitation.objects.get(email__startswith="carrier.invited-officer@")
        self.assertEqual((invitation.role, invitation.status), ("officer", "pending"))
        path = self.output.split("/companies/invitations/")[1].split()[0]
        page = self.client.get("/companies/invitations/" + path)
        self.assertContains(page, 'name="password1"')
        load_demo()  # a second run sends a fresh link; still one invitation
        self.assertEqual(Invitation.objects.filter(email=invitation.email).count(), 1)

    def test_the_logins_table_and_password_are_printed(self) -> None:
        self.assertIn(f"Password for every demo user: {DEMO_PASSWORD}", self.output)
        self.assertRegex(self.output, r"importer\.admin@demo\.openctpat\.test\s+admin\s+.*\s+no")
        self.assertRegex(self.output, r"carrier\.officer@demo\.openctpat\.test\s+officer\s+.*yes")

    def test_the_compliance_admin_signs_straight_in(self) -> None:
        response = self.client.post(
            reverse("account_login"),
            {"login": "importer.admin@demo.openctpat.test", "password": DEMO_PASSWORD},
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        page = self.client.get(reverse("companies:company-list"))
        self.assertContains(page, "Great Lakes Home Goods Inc.")

    def test_demo_totp_prints_the_code_the_officer_signs_in_with(self) -> None:
        officer = User.objects.get(email="carrier.officer@demo.openctpat.test")
        code = demo_totp(officer.email)
        self.assertRegex(code, r"^\d{6}$")
        authenticator = Authenticator.objects.get(user=officer, type="totp")
        self.assertTrue(TOTP(authenticator).validate_code(code))

    def test_demo_totp_refuses_a_user_with_their_own_authenticator(self) -> None:
        from portal.testing import make_user

        make_user("real.officer@example.com", mfa=True)
        with self.assertRaisesMessage(CommandError, "not a demo user"):
            demo_totp("real.officer@example.com")
        with self.assertRaisesMessage(CommandError, "has no authenticator"):
            demo_totp("importer.admin@demo.openctpat.test")

    @override_settings(DEBUG=False)
    def test_it_refuses_a_production_site_without_force(self) -> None:
        with self.assertRaisesMessage(CommandError, "published password"):
            call_command("load_demo", stdout=StringIO())
