"""Reminders to managers: before and after due dates, never the same one twice."""

from __future__ import annotations

import datetime
from io import StringIO
from unittest import mock

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from companies.models import Company
from core.models import SentReminder
from core.reminder_mail import send_reminder_email
from core.reminders import due_today, tasks_for
from personnel.models import Employee
from portal.testing import add_member, make_company, make_user, sign_in
from training.models import Course
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


class OfficersOwnListTests(TestCase):
    """A person's own list (`tasks_for`): the people nobody manages become one task per
    course for the officers and administrators; the people someone manages stay one task
    a person for that manager; the daily e-mails still name each person."""

    company: Company
    boss: User
    jefe: User
    seals: Course
    cyber: Course
    people: dict[str, Employee]
    managed: Employee
    own: Employee

    @classmethod
    def setUpTestData(cls) -> None:
        cls.company = make_company()
        cls.boss = make_user("boss@acme.test", mfa=True)
        cls.jefe = make_user("jefe@acme.test")
        add_member(cls.company, cls.boss, "officer")
        add_member(cls.company, cls.jefe, "user")
        guard = f.role(cls.company, "guard")
        cls.seals = f.course(
            cls.company,
            "seals",
            roles=[guard],
            title_en="Seal handling",
            title_es="Manejo de sellos",
        )
        cls.cyber = f.course(cls.company, "cyber", roles=[guard], title_en="Cyber")
        people = {
            name: f.employee(cls.company, name, "Ruiz", roles=[guard])
            for name in ("Ana", "Bea", "Cruz", "Dora")
        }
        cls.people = people
        f.record(people["Ana"], cls.seals, D(2024, 3, 1))  # due 2025-03-01: overdue
        f.record(people["Ana"], cls.cyber, D(2025, 1, 1))
        f.record(people["Bea"], cls.seals, D(2024, 4, 20))  # due 2025-04-20: due soon
        # Bea never took cyber
        f.record(people["Cruz"], cls.seals, D(2025, 1, 1))
        f.record(people["Cruz"], cls.cyber, D(2025, 1, 1))
        f.employee(cls.company, "Eloy", "Gone", roles=[guard]).deactivate()  # nothing at all
        f.record(people["Dora"], cls.seals, D(2025, 2, 1))
        f.record(people["Dora"], cls.cyber, D(2025, 2, 1))
        cls.managed = f.employee(
            cls.company, "Mia", "Jefe", roles=[guard], manager_email="Jefe@Acme.test"
        )
        f.record(cls.managed, cls.cyber, D(2025, 1, 1))  # seals never taken
        cls.own = f.employee(
            cls.company, "Omar", "Boss", roles=[guard], manager_email="boss@acme.test"
        )
        f.record(cls.own, cls.seals, D(2025, 1, 1))
        f.record(cls.own, cls.cyber, D(2024, 1, 1))  # due 2025-01-01: overdue

    def training(self, user: object) -> list[tuple[str, D | None]]:
        with at(D(2025, 3, 31)):
            found = tasks_for(user)  # type: ignore[arg-type]
        return [(str(t.title), t.due) for t in found if t.kind == "training_course"]

    def test_the_officer_sees_one_task_per_course_for_the_people_nobody_manages(self) -> None:
        self.assertEqual(
            self.training(self.boss),
            [
                ("Training: Cyber — 1 person due or overdue", None),  # Bea never took it
                ("Training: Omar Boss — Cyber", D(2025, 1, 1)),  # the officer's own
                ("Training: Seal handling — 2 people due or overdue", D(2025, 3, 1)),
            ],
        )
        with at(D(2025, 3, 31)):
            [task] = [t for t in tasks_for(self.boss) if t.due == D(2025, 3, 1)]
        with translation.override("es"):
            self.assertEqual(
                str(task.title), "Capacitación: Manejo de sellos — 2 personas por vencer o vencidas"
            )

    def test_a_manager_still_sees_each_person(self) -> None:
        self.assertEqual(self.training(self.jefe), [("Training: Mia Jefe — Seal handling", None)])

    def test_the_daily_emails_still_name_each_person(self) -> None:
        with at(D(2025, 3, 31)):
            due = [d for d in due_today(D(2025, 3, 31)) if d.task.kind == "training_course"]
        ana, bea = self.people["Ana"], self.people["Bea"]
        self.assertEqual(
            sorted((d.task.email, str(d.task.title)) for d in due),
            [
                ("boss@acme.test", "Training: Ana Ruiz — Seal handling"),
                ("boss@acme.test", "Training: Bea Ruiz — Cyber"),
                ("boss@acme.test", "Training: Bea Ruiz — Seal handling"),
                ("boss@acme.test", "Training: Omar Boss — Cyber"),
                ("jefe@acme.test", "Training: Mia Jefe — Seal handling"),
            ],
        )
        self.assertIn(f"{ana.pk}:{self.seals.pk}:2025-03-01", [d.task.key for d in due])
        self.assertIn(f"{bea.pk}:{self.cyber.pk}:never", [d.task.key for d in due])

    def test_the_link_opens_the_matrix_of_exactly_those_people(self) -> None:
        sign_in(self.client, self.boss)
        with at(D(2025, 3, 31)):
            tasks = [t for t in tasks_for(self.boss) if t.key.startswith("course:")]
            shown = {}
            for task in tasks:
                page = self.client.get(str(task.url))
                self.assertEqual(page.status_code, 200)
                matrix = page.context["matrix"]
                shown[str(task.title)] = (
                    [c.code for c in matrix.courses],
                    sorted(r.employee.full_name for r in matrix.rows),
                )
            listed = self.client.get(reverse("notices:task-list"))
        self.assertEqual(
            shown,
            {
                "Training: Seal handling — 2 people due or overdue": (
                    ["seals"],
                    ["Ana Ruiz", "Bea Ruiz"],
                ),
                "Training: Cyber — 1 person due or overdue": (["cyber"], ["Bea Ruiz"]),
            },
        )
        self.assertContains(listed, "Training: Seal handling — 2 people due or overdue")
        self.assertContains(listed, "state=open&amp;manager=none")
