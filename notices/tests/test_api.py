"""The inbox over the API, as a client program of one person meets it: their notices only
(another person's is a 404), marking one or all read as the pages do, the header's
counts, and the settings that stop the e-mails."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy

from notices.models import Notice
from notices.workflow import notify
from portal.testing import PersonaTestCase


class NoticeAPITests(PersonaTestCase):
    def setUp(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.first, *_rest = notify(
                "test_event",
                "1",
                company=self.company,
                users=[self.users["officer"], self.users["admin"]],
                url="/companies/1/certification/",
                title=gettext_lazy("Your company is certified"),
            )
            notify(
                "test_event",
                "2",
                company=self.company,
                users=[self.users["officer"]],
                title=gettext_lazy("Criterion %(ref)s was rejected"),
                params={"ref": "3.1"},
            )
        self.officer_notice = Notice.objects.get(user=self.users["officer"], key="1")
        self.admins_notice = Notice.objects.get(user=self.users["admin"], key="1")
        mail.outbox.clear()

    def test_the_list_holds_only_my_notices_newest_first_with_an_absolute_link(self) -> None:
        answer = self.api_as("officer").get(reverse("api:notice-list"))
        self.assertEqual(answer.status_code, 200)
        rows = answer.json()["results"]
        self.assertEqual([r["key"] for r in rows], ["2", "1"])
        self.assertEqual(rows[0]["title"], "Criterion 3.1 was rejected")
        self.assertEqual(rows[1]["url"], "http://testserver/companies/1/certification/")
        self.assertEqual(rows[1]["company_name"], "Acme Imports LLC")
        self.assertFalse(rows[1]["is_read"])

    def test_someone_elses_notice_is_not_found_and_stays_unread(self) -> None:
        client = self.api_as("officer")
        url = reverse("api:notice-detail", args=[self.admins_notice.pk])
        self.assertEqual(client.get(url).status_code, 404)
        read = reverse("api:notice-read", args=[self.admins_notice.pk])
        self.assertEqual(client.post(read).status_code, 404)
        self.admins_notice.refresh_from_db()
        self.assertIsNone(self.admins_notice.read_at)
        # Not even the program office sees a member's notices.
        self.assertEqual(self.api_as("supervisor").get(url).status_code, 404)

    def test_reading_one_marks_only_that_one_and_the_counts_follow(self) -> None:
        client = self.api_as("officer")
        counts = client.get(reverse("api:notice-counts")).json()
        self.assertEqual(counts["unread"], 2)
        self.assertIsInstance(counts["tasks"], int)
        detail = reverse("api:notice-detail", args=[self.officer_notice.pk])
        self.assertFalse(client.get(detail).json()["is_read"])  # a GET changes nothing
        answer = client.post(reverse("api:notice-read", args=[self.officer_notice.pk]))
        self.assertEqual(answer.status_code, 200)
        self.assertTrue(answer.json()["is_read"])
        self.assertEqual(client.get(reverse("api:notice-counts")).json()["unread"], 1)
        unread = client.get(reverse("api:notice-list"), {"unread": "true"}).json()["results"]
        self.assertEqual([r["key"] for r in unread], ["2"])

    def test_read_all_marks_mine_and_leaves_others_unread(self) -> None:
        answer = self.api_as("officer").post(reverse("api:notice-read-all"))
        self.assertEqual(answer.json(), {"marked": 2})
        self.assertFalse(Notice.objects.filter(user=self.users["officer"]).unread().exists())
        self.assertTrue(Notice.objects.filter(user=self.users["admin"]).unread().exists())

    def test_settings_turn_the_email_off_and_the_next_notice_is_not_mailed(self) -> None:
        client = self.api_as("officer")
        url = reverse("api:notice-settings")
        self.assertEqual(client.get(url).json(), {"email": True, "digest": True, "language": ""})
        answer = client.patch(url, {"email": False, "language": "es"}, format="json")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.json(), {"email": False, "digest": True, "language": "es"})
        with self.captureOnCommitCallbacks(execute=True):
            notify(
                "test_event",
                "3",
                users=[self.users["officer"]],
                title=gettext_lazy("Your company is certified"),
            )
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Notice.objects.get(user=self.users["officer"], key="3").language, "es")

    def test_a_bad_language_names_the_field_and_saves_nothing(self) -> None:
        client = self.api_as("officer")
        url = reverse("api:notice-settings")
        answer = client.put(url, {"email": False, "digest": False, "language": "xx"}, format="json")
        self.assertEqual(answer.status_code, 400)
        self.assertIn("language", answer.json())
        self.assertEqual(client.get(url).json()["email"], True)

    def test_a_read_only_token_may_read_but_not_mark(self) -> None:
        from rest_framework.test import APIClient

        from accounts.tokens import issue_token

        client = APIClient()
        token = issue_token(self.users["officer"], name="ro", read_only=True)[1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        self.assertEqual(client.get(reverse("api:notice-list")).status_code, 200)
        self.assertEqual(client.post(reverse("api:notice-read-all")).status_code, 403)
        self.assertTrue(Notice.objects.filter(user=self.users["officer"]).unread().exists())

    def test_the_list_costs_a_fixed_number_of_queries(self) -> None:
        client = self.api_as("officer")
        client.get(reverse("api:notice-list"))  # warm the token lookup path
        with self.assertNumQueries(5):  # token, role, second factor, count, rows
            client.get(reverse("api:notice-list"))
