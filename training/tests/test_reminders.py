"""Reminders to managers: before and after due dates, never the same one twice."""

from __future__ import annotations

import datetime
from io import StringIO
from unittest import mock

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from core.models import SentReminder
from core.reminder_mail import send_reminder_email
from portal.testing import add_member, make_company, make_user
from training.tests import factories as f

D = datetime.date


def at(day: D) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 6, tzinfo=datetime.UTC), tick=False
    )


class ReminderTests(TestCase):
    def setUp(self) -> None:
        self.company = make_company(language="es")
        add_member(self.company, make_user("boss@acme.test"), "officer")
        add_member(self.company, make_user("clerk@acme.test"), "user")
        guard = f.role(self.company, "guard")
        self.course = f.course(
            self.company,
            roles=[guard],
            refresher_months=12,
            title_en="Seal handling",
            title_es="Manejo de sellos",
        )
        self.ana = f.employee(
            self.company, "Ana", "Ruiz", roles=[guard], manager_email="Jefe@Acme.test"
        )
        self.luis = f.employee(self.company, "Luis", "Gómez", roles=[guard])
        f.record(self.ana, self.course, D(2024, 7, 1))  # due 2025-07-01
        f.record(self.luis, self.course, D(2025, 5, 1))  # due 2026-05-01

    def run_command(self, name: str = "send_reminders") -> str:
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command(name, stdout=out)
        return out.getvalue()

    def test_before_and_after_the_due_date_each_reminder_goes_once(self) -> None:
        with at(D(2025, 5, 1)):
            self.run_command()
        self.assertEqual(mail.outbox, [], "more than 30 days ahead: nothing to say")
        with at(D(2025, 6, 5)):
            self.assertIn("queued: training_course", self.run_command())
            self.assertIn("0 reminder(s) queued", self.run_command())
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["jefe@acme.test"])
        self.assertEqual(
            message.subject,
            "Capacitación: Ana Ruiz — Manejo de sellos — vence en 26 días (2025-07-01)",
        )
        self.assertNotIn("Luis", message.body)
        with at(D(2025, 7, 2)):
            self.run_command()
        with at(D(2025, 7, 20)):
            self.run_command()
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("vencido (vencía el 2025-07-01)", mail.outbox[1].body, "company's language")
        self.assertIn(f"/companies/{self.company.pk}/training/matrix/", mail.outbox[1].body)
        self.assertEqual(
            sorted(SentReminder.objects.values_list("key", "stage")),
            [
                (f"{self.ana.pk}:{self.course.pk}:2025-07-01", "30"),
                (f"{self.ana.pk}:{self.course.pk}:2025-07-01", "overdue"),
            ],
        )
        self.assertTrue(all(SentReminder.objects.values_list("sent_at", flat=True)))

    def test_people_without_a_manager_go_to_the_companys_officers_and_admins(self) -> None:
        new = f.employee(self.company, "Eva", "Luna", roles=list(self.course.roles.all()))
        with at(D(2025, 5, 1)):
            self.run_command()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["boss@acme.test"])
        self.assertIn(new.full_name, mail.outbox[0].body)

    def test_a_failed_email_is_retried_by_the_next_run(self) -> None:
        with at(D(2025, 6, 5)), mock.patch("core.reminder_mail.send_mail", side_effect=OSError):
            self.run_command()
        self.assertEqual(SentReminder.objects.get().sent_at, None)
        with at(D(2025, 6, 6)):
            self.run_command()
        self.assertEqual(len(mail.outbox), 1)

    def test_the_task_sends_nothing_for_rows_already_sent(self) -> None:
        with at(D(2025, 6, 5)):
            self.run_command()
        ids = list(SentReminder.objects.values_list("pk", flat=True))
        self.assertEqual(send_reminder_email.call(ids), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_inactive_people_get_no_reminders(self) -> None:
        self.ana.deactivate()
        with at(D(2025, 7, 20)):
            self.assertIn("0 reminder(s) queued", self.run_command())

    def test_one_reminder_run_is_left_and_a_second_run_sends_nothing(self) -> None:
        from django.core.management import get_commands

        self.assertNotIn("send_training_reminders", get_commands())
        self.assertNotIn("send_deadline_reminders", get_commands())
        with at(D(2025, 6, 5)):
            self.run_command()
            self.run_command()
        self.assertEqual(len(mail.outbox), 1)
