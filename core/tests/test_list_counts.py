"""A large list's row count is remembered (`core.lists.ListPaginator`): paging on does not
count again, a stale count is put right by the page that disagrees with it, so "next" and
"last page" always reach the rows, and the API's `count` follows the same rule. A page
past the middle of a large list is read backwards from its end."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.lists import COUNT_CACHE, ListPaginator
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase


def add_partners(company: Any, start: int, count: int) -> None:
    BusinessPartner.objects.bulk_create(
        BusinessPartner(
            company=company,
            name=f"Proveedor {n:04d}",
            normalised_name=f"proveedor {n:04d}",
            country="MX",
            role="manufacturer",
            tier="low",
            computed_tier="low",
        )
        for n in range(start, start + count)
    )


@override_settings(CTPAT_LIST_COUNT_CACHE_FROM=100)
class RememberedCountTests(PersonaTestCase):
    def setUp(self) -> None:
        caches[COUNT_CACHE].clear()
        self.addCleanup(caches[COUNT_CACHE].clear)
        add_partners(self.company, 0, 120)  # pages of 50: 50, 50, 20
        self.url = reverse("partners:partner-list", args=[self.company.pk])
        self.login("officer")

    def page(self, number: int) -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url, {"page": number})
        self.assertEqual(response.status_code, 200)
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        return response.content.decode(), counts

    def test_paging_on_counts_once(self) -> None:
        html, counts = self.page(1)
        self.assertIn("Page 1 of 3 (120 rows)", html)
        self.assertEqual(len(counts), 1)
        html, counts = self.page(2)
        self.assertIn("Page 2 of 3 (120 rows)", html)
        self.assertEqual(counts, [])  # remembered
        self.assertIn('data-testid="last-page"', self.page(1)[0])

    def test_a_stale_count_is_put_right_by_the_last_page(self) -> None:
        self.page(1)  # remembers 120
        add_partners(self.company, 1000, 40)  # 160 now: the remembered last page is full
        html, counts = self.page(3)
        self.assertEqual(len(counts), 1)  # the page disagreed: counted again
        self.assertIn("Page 3 of 4 (160 rows)", html)
        self.assertIn('rel="next"', html)
        html, counts = self.page(4)
        self.assertIn("Page 4 of 4 (160 rows)", html)
        self.assertNotIn('rel="next"', html)
        # A page past the middle is read backwards from the end, which needs the true
        # total: it counts (one COUNT on the index instead of skipping 150 rows).
        self.assertEqual(len(counts), 1)

    def test_pages_past_the_middle_read_from_the_end_hold_the_same_rows(self) -> None:
        rows = BusinessPartner.objects.filter(company=self.company).order_by("-created_at", "-pk")
        names = list(rows.values_list("name", flat=True))
        paginator = ListPaginator(rows, 50)
        for number, (bottom, top) in enumerate([(0, 50), (50, 100), (100, 120)], start=1):
            with self.subTest(page=number):
                self.assertEqual(paginator._from_the_end(number), number == 3)
                page = paginator.page(number)
                self.assertEqual([p.name for p in page], names[bottom:top])
                self.assertEqual(page.has_next(), number < 3)
        with self.subTest("orphans join the last page"):
            paginator = ListPaginator(rows, 25, orphans=10)  # 25, 25, 25, 25, 20
            self.assertEqual([p.name for p in paginator.page(4)], names[75:100])
            self.assertEqual([p.name for p in paginator.page(5)], names[100:120])
        with self.subTest("an order without pk last is read forwards"):
            self.assertFalse(ListPaginator(rows.order_by("name"), 50)._from_the_end(3))

    def test_a_page_past_the_remembered_end_is_shown_not_clamped(self) -> None:
        self.page(1)
        add_partners(self.company, 1000, 60)  # 180: page 4 exists now
        html, counts = self.page(4)
        self.assertIn("Page 4 of 4 (180 rows)", html)
        self.assertEqual(len(counts), 1)

    def test_removed_rows_shorten_the_pages(self) -> None:
        self.page(1)
        BusinessPartner.objects.filter(name__gte="Proveedor 0090").delete()  # 90 left
        html, counts = self.page(3)
        self.assertIn("Page 2 of 2 (90 rows)", html)  # the last page there is

    def test_a_small_list_is_counted_every_time(self) -> None:
        BusinessPartner.objects.filter(name__gte="Proveedor 0030").delete()  # 30 rows
        for _ in range(2):
            html, counts = self.page(1)
            self.assertEqual(len(counts), 1)
            self.assertNotIn("Page 1 of", html)  # one page: no pager

    def test_a_list_that_can_hold_nothing_counts_zero(self) -> None:
        self.assertEqual(ListPaginator(BusinessPartner.objects.none(), 50).count, 0)
        self.assertEqual(ListPaginator(BusinessPartner.objects.filter(pk__in=[]), 50).count, 0)

    def test_the_api_count_is_remembered_and_next_follows_the_rows(self) -> None:
        api = reverse("api:partner-list")
        first = self.client.get(api).json()
        self.assertEqual(first["count"], 120)
        add_partners(self.company, 1000, 40)
        with CaptureQueriesContext(connection) as queries:
            again = self.client.get(api, {"page": 2}).json()
        self.assertEqual(again["count"], 120)  # remembered, not counted
        self.assertFalse(any("COUNT(" in q["sql"].upper() for q in queries.captured_queries))
        last = self.client.get(api, {"page": 3}).json()  # full, with more after it
        self.assertEqual((last["count"], len(last["results"])), (160, 50))
        self.assertIsNotNone(last["next"])
