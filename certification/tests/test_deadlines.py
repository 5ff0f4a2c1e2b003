"""The deadline list and the daily run: reminders once per stage, to the right people,
and the suspension clock enforced by the system."""

from __future__ import annotations

import datetime

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certification import deadlines
from certification.choices import State
from certification.models import Certification, DeadlineReminder
from certification.tests.factories import certification_in
from core.testing import PersonaTestCase

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


class DailyRunTests(PersonaTestCase):
    def test_validation_reminder_once_per_stage_to_officer_and_admin(self) -> None:
        certified = NOW - datetime.timedelta(days=365 - 30)
        certification_in(State.CERTIFIED, self.company, certified_at=certified)
        with time_machine.travel(NOW, tick=False), self.captureOnCommitCallbacks(execute=True):
            made = deadlines.run_daily()
            again = deadlines.run_daily()
        self.assertEqual([(r.kind, r.stage) for r in made], [("validation", "30")])
        self.assertEqual(again, [])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(sorted(mail.outbox[0].to), ["admin@acme.test", "officer@acme.test"])
        self.assertIsNotNone(DeadlineReminder.objects.get().sent_at)

    def test_sla_breach_reminds_the_assigned_specialist(self) -> None:
        certification_in(
            State.UNDER_REVIEW,
            self.company,
            applied_at=NOW - datetime.timedelta(days=91),
            assigned_to=self.users["specialist"],
        )
        with time_machine.travel(NOW, tick=False), self.captureOnCommitCallbacks(execute=True):
            made = deadlines.run_daily()
        self.assertEqual([(r.kind, r.stage) for r in made], [("certification_sla", "overdue")])
        self.assertEqual(mail.outbox[0].to, ["specialist@cbp.test"])

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
            deadlines.run_daily()
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
