"""The deadline list and the daily run: reminders once per stage, to the right people,
and the suspension clock enforced by the system."""

from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certification.choices import State
from certification.models import Certification
from certification.reminders import KIND as CLOCKS
from certification.tests.factories import certification_in
from core.models import SentReminder
from core.reminders import send_reminders
from portal.testing import PersonaTestCase

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


class DailyRunTests(PersonaTestCase):
    def test_validation_reminder_once_per_stage_to_officer_and_admin(self) -> None:
        certified = NOW - datetime.timedelta(days=365 - 30)
        certification_in(State.CERTIFIED, self.company, certified_at=certified)
        with time_machine.travel(NOW, tick=False), self.captureOnCommitCallbacks(execute=True):
            made = send_reminders()
            again = send_reminders()
        mine = [d for d in made if d.task.kind == CLOCKS]
        self.assertEqual(
            sorted((d.task.key.split(":")[1], d.stage, d.task.email) for d in mine),
            [("validation", "30", "admin@acme.test"), ("validation", "30", "officer@acme.test")],
        )
        self.assertEqual(again, [])
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["admin@acme.test", "officer@acme.test"]
        )
        # One e-mail per person carries both clocks of the first anniversary.
        self.assertEqual(mail.outbox[0].subject, "2 reminders from OpenCTPAT")
        self.assertIn("- Validation: Acme Imports LLC: due in 30 days", mail.outbox[0].body)
        status = reverse("certification_member:status", args=[self.company.pk])
        self.assertIn(settings.CTPAT_SITE_URL + status, mail.outbox[0].body)
        self.assertTrue(all(SentReminder.objects.values_list("sent_at", flat=True)))

    def test_sla_breach_reminds_the_assigned_specialist(self) -> None:
        certification_in(
            State.UNDER_REVIEW,
            self.company,
            applied_at=NOW - datetime.timedelta(days=91),
            assigned_to=self.users["specialist"],
        )
        with time_machine.travel(NOW, tick=False), self.captureOnCommitCallbacks(execute=True):
            made = send_reminders()
        self.assertEqual(
            [(d.task.key.split(":")[1], d.stage, d.task.email) for d in made],
            [("certification_sla", "overdue", "specialist@cbp.test")],
        )
        self.assertEqual(mail.outbox[0].to, ["specialist@cbp.test"])
        detail = Certification.objects.get(company=self.company).get_absolute_url()
        self.assertIn(settings.CTPAT_SITE_URL + detail, mail.outbox[0].body)

    def test_unanswered_suspension_is_removed_by_the_system(self) -> None:
        certification_in(
            State.SUSPENDED, self.company, suspended_at=NOW - datetime.timedelta(days=91)
        )
        certification_in(
            State.SUSPENDED,
            self.other_company,
            suspended_at=NOW - datetime.timedelta(days=91),
            suspension_response="New procedures.",
            suspension_response_at=NOW,
        )
        with time_machine.travel(NOW, tick=False):
            send_reminders()
        self.assertEqual(Certification.objects.get(company=self.company).status, State.REMOVED)
        self.assertEqual(
            Certification.objects.get(company=self.other_company).status, State.SUSPENDED
        )
        event = Certification.objects.get(company=self.company).events.get()
        self.assertEqual(event.actor_role, "system")


class DeadlinePageTests(PersonaTestCase):
    def test_consultant_sees_every_client_and_nothing_else(self) -> None:
        certification_in(State.CERTIFIED, self.company, certified_at=timezone.now())
        certification_in(State.CERTIFIED, self.third_company, certified_at=timezone.now())
        certification_in(State.CERTIFIED, self.other_company, certified_at=timezone.now())
        self.login("consultant")
        response = self.client.get(reverse("certification:deadline-list"))
        self.assertContains(response, "Acme Imports LLC")
        self.assertContains(response, "Maple Brokers Inc")
        self.assertNotContains(response, "Transportes del Norte")
