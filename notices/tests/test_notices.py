"""Notices as a person meets them: one in the inbox per event, an e-mail in their
language with a link to the page that resolves it, never the same one twice; settings
that turn the e-mail off; the inbox, the notice (read once opened), the task list and the
header's counts, each with a pinned number of queries."""

from __future__ import annotations

import datetime
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy

from actions.models import CorrectiveAction
from companies.models import Company
from notices.models import Notice
from notices.workflow import notify, save_settings
from portal.testing import PersonaTestCase


def emit(company: Company, key: str = "1") -> list[Notice]:
    return notify(
        "test_event",
        key,
        company=company,
        url="/companies/1/certification/",
        title=gettext_lazy("Criterion %(ref)s of your security profile was rejected"),
        params={"ref": "3.1", "comment": "Say how often."},
        body=gettext_lazy(
            "The specialist's comment: %(comment)s\nAnswer it on the profile review page."
        ),
    )


class NotifyTests(PersonaTestCase):
    def test_the_managers_get_one_notice_and_one_email_each_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            written = emit(self.company)
        self.assertEqual(
            sorted(n.user.email for n in written), ["admin@acme.test", "officer@acme.test"]
        )
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["admin@acme.test", "officer@acme.test"]
        )
        self.assertIn("Criterion 3.1 of your security profile was rejected", mail.outbox[0].subject)
        self.assertIn("http://127.0.0.1:8000/companies/1/certification/", mail.outbox[0].body)
        with self.captureOnCommitCallbacks(execute=True):
            again = emit(self.company)
        self.assertEqual(again, [])
        self.assertEqual(len(mail.outbox), 2)  # never the same notice twice
        self.assertEqual(Notice.objects.count(), 2)

    def test_a_spanish_company_hears_in_spanish_and_a_person_may_choose(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            emit(self.other_company)
        self.assertIn("Se rechazó el criterio 3.1", mail.outbox[0].subject)
        self.assertIn("Abra la página", mail.outbox[0].body)
        save_settings(self.users["admin"], email=True, digest=True, language="es")
        with self.captureOnCommitCallbacks(execute=True):
            emit(self.company, "2")
        by_person = {m.to[0]: m.subject for m in mail.outbox[1:]}
        self.assertIn("Se rechazó", by_person["admin@acme.test"])
        self.assertIn("Criterion", by_person["officer@acme.test"])

    def test_with_email_off_the_notice_only_reaches_the_inbox(self) -> None:
        save_settings(self.users["admin"], email=False, digest=True)
        with self.captureOnCommitCallbacks(execute=True):
            emit(self.company)
        self.assertEqual([m.to[0] for m in mail.outbox], ["officer@acme.test"])
        self.assertTrue(Notice.objects.filter(user=self.users["admin"]).exists())

    def test_a_rolled_back_step_leaves_no_notice_and_sends_nothing(self) -> None:
        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    emit(self.company)
                    raise RuntimeError("the step failed")
            except RuntimeError:
                pass
        self.assertEqual(Notice.objects.count(), 0)
        self.assertEqual(mail.outbox, [])


class InboxPageTests(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()
        for key in ("1", "2", "3"):
            emit(self.company, key)
        emit(self.other_company, "9")

    def test_the_inbox_lists_unread_and_opening_one_marks_it_read(self) -> None:
        self.login("admin")
        with self.assertNumQueries(INBOX_QUERIES):
            page = self.client.get(reverse("notices:inbox"))
        self.assertContains(page, "3 unread notices")
        notice = Notice.objects.filter(user=self.users["admin"]).first()
        assert notice is not None
        opened = self.client.get(reverse("notices:notice-detail", args=[notice.pk]))
        self.assertContains(opened, "Open the page that resolves it")
        self.assertContains(opened, 'href="/companies/1/certification/"')
        notice.refresh_from_db()
        self.assertIsNotNone(notice.read_at)
        self.assertContains(self.client.get(reverse("notices:inbox")), "2 unread notices")
        self.client.post(reverse("notices:read-all"))
        self.assertContains(self.client.get(reverse("notices:inbox")), "0 unread notices")

    def test_the_query_count_does_not_grow_with_the_notices(self) -> None:
        for key in range(10, 60):
            emit(self.company, str(key))
        self.login("admin")
        with self.assertNumQueries(INBOX_QUERIES):
            self.client.get(reverse("notices:inbox"))

    def test_someone_elses_notice_is_not_found(self) -> None:
        theirs = Notice.objects.get(user=self.users["other"])
        self.login("admin")
        self.assertEqual(
            self.client.get(reverse("notices:notice-detail", args=[theirs.pk])).status_code, 404
        )
        theirs.refresh_from_db()
        self.assertIsNone(theirs.read_at)

    def test_the_header_counts_tasks_and_unread(self) -> None:
        CorrectiveAction.objects.create(
            company=self.company,
            title="Repair the fence",
            owner=self.users["admin"],
            due_date=datetime.date(2020, 1, 1),
        )
        self.login("admin")
        home = self.client.get(reverse("notices:inbox"))
        self.assertContains(home, 'data-notice-counts="/me/counts/"')
        counts = self.client.get(reverse("notices:counts"))
        self.assertContains(counts, '1<span class="visually-hidden"> waiting on you</span>')
        self.assertContains(counts, '3<span class="visually-hidden"> unread</span>')

    def test_settings_page_saves_the_choices(self) -> None:
        self.login("user")
        response = self.client.post(
            reverse("notices:settings"), {"digest": "on", "language": "es"}, follow=True
        )
        self.assertContains(response, "Your notice settings are saved.")
        own = self.users["user"].notice_settings
        self.assertEqual((own.email, own.digest, own.language), (False, True, "es"))
        bad = self.client.post(reverse("notices:settings"), {"language": "fr"})
        self.assertContains(bad, "Select a valid choice")


class TaskListTests(PersonaTestCase):
    def test_overdue_first_across_companies_with_pinned_queries(self) -> None:
        consultant = self.users["consultant"]
        CorrectiveAction.objects.create(
            company=self.company,
            title="Later fix",
            owner=consultant,
            due_date=datetime.date(2099, 1, 1),
        )
        CorrectiveAction.objects.create(
            company=self.third_company,
            title="Late fix",
            owner=consultant,
            due_date=datetime.date(2020, 1, 1),
        )
        self.login("consultant")
        url = reverse("notices:task-list")
        self.client.get(url)  # warm the per-process caches (question sets, catalogue)
        with self.assertNumQueries(QUERIES):
            page = self.client.get(url)
        body = page.content.decode()
        self.assertLess(body.index("Late fix"), body.index("Later fix"))
        self.assertIn("Maple Brokers Inc", body)
        for n in range(20):
            CorrectiveAction.objects.create(
                company=self.company,
                title=f"Fix {n}",
                owner=consultant,
                due_date=datetime.date(2030, 1, 1),
            )
        with self.assertNumQueries(QUERIES):
            self.client.get(url)

    def test_a_long_list_shows_the_first_due_and_counts_them_all(self) -> None:
        consultant = self.users["consultant"]
        for n in range(8):
            CorrectiveAction.objects.create(
                company=self.company,
                title=f"Late fix {n}",
                owner=consultant,
                due_date=datetime.date(2020, 1, 1 + n),
            )
        self.login("consultant")
        with mock.patch("notices.views.TASKS_SHOWN", 5):
            page = self.client.get(reverse("notices:task-list"))
        body = page.content.decode()
        self.assertIn("8 things wait on you", body)
        self.assertIn('data-testid="tasks-overdue-more"', body)
        self.assertIn("The 5 due first of 8 are listed", body)
        self.assertIn("Late fix 0", body)
        self.assertIn("Late fix 4", body)
        self.assertNotIn("Late fix 5", body)


# The consultant manages no company: the providers of what waits on officers (annual
# review, clocks) and the training matrix past its courses need no query for them.
# Of which site audits 2 (partners due, planned visits), criteria 2 (owned by them,
# rejected: owned by them), questionnaires 1 (sent by them); the kinds that wait on
# managers only (unowned criteria, screening alerts) ask nothing.
QUERIES = 15
INBOX_QUERIES = 8  # session, user, MFA check ×2, memberships (menu), unread, count, page
