"""The training pages cost the same queries for three people as for sixty, and the matrix
is shown a page of people at a time."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from portal.testing import PersonaTestCase
from training.tests import factories as f

D = datetime.date
# Session, user, MFA and membership checks, the company, the page's own queries. The course
# page and the dashboard count the company's figures afresh (people were just added, so
# training.kept forgot them: the two look-ups, the count and the cache write); the API,
# asked next, finds the dashboard's figures kept (the two look-ups instead of the count).
PINNED = {"matrix": 17, "course": 20, "dashboard": 22, "api": 17}


class TrainingPageQueryTests(PersonaTestCase):
    def setUp(self) -> None:
        guard = f.role(self.company, "guard")
        self.courses = [
            f.course(self.company, code, roles=[guard], refresher_months=12)
            for code in ("seals", "threats", "cyber")
        ]
        self.guard = guard
        self.added = 0
        self.login("officer")

    def add_people(self, n: int) -> None:
        for i in range(self.added, self.added + n):
            person = f.employee(self.company, f"P{i:03d}", "Ruiz", roles=[self.guard])
            f.record(person, self.courses[i % 3], D(2025, 1, 1))
        self.added += n

    def urls(self) -> dict[str, str]:
        pk = self.company.pk
        return {
            "matrix": reverse("training:matrix", args=[pk]),
            "course": reverse("training:course-detail", args=[pk, self.courses[0].pk]),
            "dashboard": reverse("training:dashboard", args=[pk]),
            "api": reverse("api:training-matrix-list") + f"?company={pk}",
        }

    def test_query_counts_are_pinned_and_do_not_grow_with_people(self) -> None:
        self.client.get(self.urls()["matrix"])  # the session's first request writes once
        for n in (3, 57):
            self.add_people(n)
            for name, url in self.urls().items():
                with self.subTest(people=self.added, page=name):
                    with self.assertNumQueries(PINNED[name]):
                        self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_matrix_shows_fifty_people_a_page_and_links_the_last(self) -> None:
        self.add_people(60)
        url = self.urls()["matrix"]
        first = self.client.get(url)
        self.assertEqual(first.content.count(b'<tr><th scope="row">'), 50)
        self.assertContains(first, "Page 1 of 2 (60 rows)")
        self.assertContains(first, "page=2")
        second = self.client.get(url + "?page=2")
        self.assertEqual(second.content.count(b'<tr><th scope="row">'), 10)
        self.assertContains(second, "P059 Ruiz")
        # The state filter is applied by the database and the count follows it.
        missing = self.client.get(url + f"?course={self.courses[0].pk}&state=missing")
        self.assertEqual(missing.content.count(b'<tr><th scope="row">'), 40)

    @time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
    def test_each_cell_shows_the_state_due_date_and_last_completion_in_english_and_spanish(
        self,
    ) -> None:
        seals, threats, _cyber = self.courses
        other = f.course(self.company, "ctpat", roles=[f.role(self.company, "driver")])
        person = f.employee(self.company, "Ana", "Ruiz", roles=[self.guard])
        f.record(person, seals, D(2025, 1, 1))  # 12-month refresher: overdue since 2026-01-01
        url = self.urls()["matrix"] + f"?course={seals.pk}"
        page = self.client.get(self.urls()["matrix"]).content.decode()
        self.assertIn(
            '<span class="state overdue" data-state="overdue" '
            'title="Last completed Jan. 1, 2025">Overdue<br>2026-01-01</span>',
            page,
        )
        self.assertIn('<span class="state missing" data-state="missing" title="">', page)
        self.assertEqual(page.count('aria-label="not required">·</span>'), 1)  # the ctpat course
        self.assertTrue(other.pk and threats.pk)
        spanish = self.client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        self.assertIn(
            'title="Última vez completado 1 de enero de 2025">Vencido<br>2026-01-01</span>',
            spanish,
        )

    def test_the_matrix_api_is_paged_like_the_other_lists(self) -> None:
        self.add_people(60)
        url = self.urls()["api"]
        first = self.client.get(url).json()
        self.assertEqual(
            list(first),
            ["count", "next", "previous", "company", "today", "courses", "summary", "results"],
        )
        self.assertEqual((first["count"], len(first["results"])), (60, 50))
        self.assertIsNone(first["previous"])
        self.assertIn("page=2", first["next"])
        self.assertEqual(first["results"][0]["employee"]["name"], "P000 Ruiz")
        # The summary counts everyone, not only the page.
        self.assertEqual([s["required"] for s in first["summary"]], [60, 60, 60])
        second = self.client.get(first["next"]).json()
        self.assertEqual(len(second["results"]), 10)
        self.assertEqual(second["results"][-1]["employee"]["name"], "P059 Ruiz")
        self.assertIsNone(second["next"])
        missing = self.client.get(f"{url}&state=missing").json()
        # Each person has one of the three courses: every one misses the other two.
        self.assertEqual(missing["count"], 60)
