"""Query counts of the sharing pages and API, pinned: they must not grow with the number of
shares or the size of the submitted snapshot (no N+1). bench/sharing_summary.py measures
the time of the same pages with the full catalogue and hundreds of shares."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from companies.models import Company
from portal.testing import make_company
from sharing.models import Share
from sharing.tests.test_sharing import SharingTestCase

# Per request: session, user, MFA middleware (2), the company switcher, the company, then
# the page's own reads (two lists, each counted for its pages; the view log row for a summary).
SHARE_LIST_QUERIES = 10
SUMMARY_PAGE_QUERIES = 10
SUMMARY_API_QUERIES = 7
# Shares keep their own tenancy rule (both parties see a share), so their API list does not
# read the user's company ids first as other lists do (core.tenancy.for_user_listing).
SHARE_LIST_API_QUERIES = 6


class QueryCountTests(SharingTestCase):
    def grow(self, n: int) -> None:
        start = Share.objects.count()
        for i in range(start, start + n):
            other: Company = make_company(f"Customer {i} LLC")
            Share.objects.create(
                requester=other, sharer=self.company, requested_by=self.users["user"]
            )
            Share.objects.create(
                requester=self.company,
                sharer=other,
                requested_by=self.users["user"],
                status="accepted",
                share_status=True,
                business_partner=self.partner_record,
            )

    def count(self, url: str, expected: int, **params: Any) -> None:
        self.login("admin")
        self.client.get(url, params)  # warm the per-process caches (content types, site)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url, params).status_code, 200)

    def test_the_share_list_query_count_is_fixed(self) -> None:
        url = reverse("sharing:share-list", args=[self.company.pk])
        self.grow(1)
        self.count(url, SHARE_LIST_QUERIES)
        self.grow(5)
        self.count(url, SHARE_LIST_QUERIES)

    def test_the_share_list_api_query_count_is_fixed(self) -> None:
        url = reverse("api:share-list")
        self.grow(1)
        self.count(url, SHARE_LIST_API_QUERIES)
        self.grow(5)
        self.count(url, SHARE_LIST_API_QUERIES)

    def test_the_summary_query_count_is_fixed(self) -> None:
        share = self.shared("status", "readiness", "criteria", "submitted")
        self.count(share.get_summary_url(), SUMMARY_PAGE_QUERIES)
        self.count(reverse("api:share-summary", args=[share.pk]), SUMMARY_API_QUERIES)
