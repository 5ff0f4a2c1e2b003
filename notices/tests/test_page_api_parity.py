"""Marking a notice read, once by opening it on its page and once through the API, changes
the same thing (both call `notices.workflow.mark_read`): the notice gets its read time, and
nothing else is written. Marking all read likewise (`mark_all_read`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from notices.models import Notice
from notices.workflow import notify
from portal.testing import PersonaTestCase, written

TABLES = (Notice,)


class MarkReadParityTests(PersonaTestCase):
    def setUp(self) -> None:
        for key in ("1", "2"):
            notify(
                "test_event",
                key,
                company=self.company,
                users=[self.users["officer"], self.users["admin"]],
                title=gettext_lazy("Your company is certified"),
            )
        self.on_page = Notice.objects.get(user=self.users["officer"], key="1")
        self.by_api = Notice.objects.get(user=self.users["officer"], key="2")

    def test_reading_one_changes_the_same_from_the_page_and_the_api(self) -> None:
        self.login("officer")
        with written(*TABLES) as page:
            shown = self.client.get(reverse("notices:notice-detail", args=[self.on_page.pk]))
        with written(*TABLES) as api:
            answer = self.api_as("officer").post(reverse("api:notice-read", args=[self.by_api.pk]))
        self.assertEqual((shown.status_code, answer.status_code), (200, 200))
        self.assertEqual(page, api)
        read = set(Notice.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
        self.assertEqual(read, {self.on_page.pk, self.by_api.pk})

        # Reading again changes nothing on either side.
        first_read = dict(Notice.objects.values_list("pk", "read_at"))
        self.client.get(reverse("notices:notice-detail", args=[self.on_page.pk]))
        self.api_as("officer").post(reverse("api:notice-read", args=[self.by_api.pk]))
        self.assertEqual(dict(Notice.objects.values_list("pk", "read_at")), first_read)

    def test_reading_all_marks_the_same_from_the_page_and_the_api(self) -> None:
        self.login("officer")
        with written(*TABLES) as page:
            self.client.post(reverse("notices:read-all"))
        with written(*TABLES) as api:
            answer = self.api_as("admin").post(reverse("api:notice-read-all"))
        self.assertEqual(answer.json(), {"marked": 2})
        self.assertEqual(page, api)
        self.assertFalse(Notice.objects.filter(read_at__isnull=True).exists())
