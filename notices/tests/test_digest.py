"""The daily digest: once a day, to each person who wants it and has something to hear
of — tasks overdue or due within a week, and the notices not already e-mailed — in their
language, with links; never twice the same day; a fixed number of queries however many
people there are."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import CorrectiveAction
from companies.models import Membership
from notices.digest import send_digest
from notices.models import DigestSent, Notice
from notices.tests.test_notices import emit
from notices.workflow import save_settings
from portal.testing import PersonaTestCase, add_member, make_company, make_user


class DigestTests(PersonaTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        save_settings(self.users["admin"], email=False, digest=True)
        with self.captureOnCommitCallbacks(execute=True):
            emit(self.company)  # e-mailed to the officer at once, to the admin only in the digest
        CorrectiveAction.objects.create(
            company=self.company,
            title="Repair the fence",
            owner=self.users["officer"],
            due_date=self.today - datetime.timedelta(days=3),
        )
        CorrectiveAction.objects.create(
            company=self.company,
            title="Far away",
            owner=self.users["officer"],
            due_date=self.today + datetime.timedelta(days=60),
        )
        mail.outbox.clear()

    def digest_to(self, email: str) -> mail.EmailMessage:
        [message] = [m for m in mail.outbox if m.to == [email]]
        return message

    def test_each_person_gets_what_they_have_not_heard_of_once(self) -> None:
        self.assertEqual(send_digest(self.today), 2)
        officer = self.digest_to("officer@acme.test")
        self.assertIn("1 overdue", officer.subject)
        self.assertIn("Acme Imports LLC: Corrective action: Repair the fence", officer.body)
        self.assertNotIn("Far away", officer.body)  # not due within a week
        self.assertNotIn("was rejected", officer.body)  # already e-mailed on the day
        self.assertIn("http://127.0.0.1:8000/me/tasks/", officer.body)
        admin = self.digest_to("admin@acme.test")
        self.assertIn("1 new notice", admin.subject)
        self.assertIn("Criterion 3.1 of your security profile was rejected", admin.body)
        self.assertIn("http://127.0.0.1:8000/companies/1/certification/", admin.body)
        self.assertIsNotNone(Notice.objects.get(user=self.users["admin"]).digested_at)
        # Run again the same day (or on a second machine): nothing goes twice.
        mail.outbox.clear()
        self.assertEqual(send_digest(self.today), 0)
        self.assertEqual(mail.outbox, [])
        # The next day the admin's notice is not repeated; the overdue action still is.
        send_digest(self.today + datetime.timedelta(days=1))
        self.assertEqual([m.to for m in mail.outbox], [["officer@acme.test"]])

    def test_digest_off_sends_nothing_and_spanish_people_read_spanish(self) -> None:
        save_settings(self.users["officer"], email=True, digest=False)
        save_settings(self.users["admin"], email=False, digest=True, language="es")
        call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual([m.to for m in mail.outbox], [["admin@acme.test"]])
        self.assertIn("Resumen diario de OpenCTPAT: 1 aviso nuevo", mail.outbox[0].subject)
        self.assertEqual(DigestSent.objects.get().user, self.users["admin"])

    def test_queries_do_not_grow_with_the_people(self) -> None:
        def run(day: datetime.date) -> int:
            with CaptureQueriesContext(connection) as queries:
                send_digest(day)
            return len(queries)

        first = run(self.today)
        company = make_company("Many People Inc")
        for n in range(30):
            person = make_user(f"person{n}@many.test")
            add_member(company, person, "officer")
            CorrectiveAction.objects.create(
                company=company,
                title=f"Fix {n}",
                owner=person,
                due_date=self.today,
            )
        self.assertEqual(Membership.objects.filter(company=company).count(), 30)
        mail.outbox.clear()
        later = run(self.today + datetime.timedelta(days=1))
        self.assertEqual(len(mail.outbox), 31)
        self.assertLessEqual(later, first + 2)
