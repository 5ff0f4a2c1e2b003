"""The Annual Notification Letter in the task list and in reminder e-mails: from the
approval it waits on the company's officers and administrators, due on the anniversary;
sending it moves the task to the next year; each reminder stage goes once."""

from __future__ import annotations

import datetime
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from core import reminders
from core.models import SentReminder
from portal.testing import PersonaTestCase
from tradecompliance import workflow
from tradecompliance.models import Status, anniversary
from tradecompliance.reminders import KIND
from tradecompliance.tests.factories import eligible, in_state

D = datetime.date


def at(day: D) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 6, tzinfo=datetime.UTC), tick=False
    )


class LetterTaskTests(PersonaTestCase):
    def setUp(self) -> None:
        eligible(self.company)
        self.approved_on = D(2026, 3, 10)
        self.application = in_state(self.company, Status.APPROVED, approved_on=self.approved_on)

    def letter_tasks(self, persona: str, today: D) -> list[reminders.Task]:
        tasks = reminders.tasks_for(self.users[persona], today)
        return [t for t in tasks if t.kind == KIND]

    def test_the_letter_waits_on_officers_and_administrators_from_the_approval(self) -> None:
        today = D(2026, 3, 11)
        for persona in ("officer", "admin"):
            with self.subTest(persona=persona):
                (task,) = self.letter_tasks(persona, today)
                self.assertEqual(task.due, D(2027, 3, 10))
                self.assertEqual(task.url, reverse("tradecompliance:anl", args=[self.company.pk]))
                self.assertIn("Annual Notification Letter", str(task.title))
        for persona in ("user", "viewer", "consultant", "specialist", "other"):
            with self.subTest(persona=persona):
                self.assertEqual(self.letter_tasks(persona, today), [])

    def test_no_task_before_approval(self) -> None:
        self.application.status = Status.UNDER_REVIEW
        self.application.save()
        self.assertEqual(self.letter_tasks("officer", D(2026, 3, 11)), [])

    def test_sending_the_letter_moves_the_task_to_the_next_year(self) -> None:
        letter = workflow.Letter(True, "Tested valuation.", "", "", "Dana Price", "COO")
        workflow.submit_annual_notification(self.company, letter, by=self.users["officer"])
        (task,) = self.letter_tasks("officer", D(2026, 4, 1))
        self.assertEqual(task.due, anniversary(self.approved_on, 2))
        self.assertEqual(task.key, f"{self.company.pk}:2:{anniversary(self.approved_on, 2)}")

    def run_command(self) -> str:
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_reminders", stdout=out)
        return out.getvalue()

    def test_each_reminder_goes_once_with_the_link(self) -> None:
        link = reverse("tradecompliance:anl", args=[self.company.pk])

        def letters() -> list[str]:
            # The validated certification has reminders of its own (the annual review).
            return sorted(a for m in mail.outbox if link in m.body for a in m.to)

        with at(D(2026, 12, 1)):
            self.run_command()
        self.assertEqual(letters(), [], "more than 60 days ahead: nothing to say")
        with at(D(2027, 1, 15)):
            self.assertIn(f"queued: {KIND}", self.run_command())
            self.run_command()
        self.assertEqual(letters(), ["admin@acme.test", "officer@acme.test"])
        self.assertEqual(
            set(SentReminder.objects.filter(kind=KIND).values_list("stage", flat=True)), {"60"}
        )
