"""No page or API list issues more queries, and no page writes out a longer select,
because a company has more data.

`bench/crawl.py --small`, in the suite: every GET URL of the permission matrix is asked
once as the company officer at a small tenant, the tenant grows (more partners,
inspections, seals, people with training, evidence files and supply chains) and every URL
is asked again; each URL's query count must not change. A page that resolves rows one by
one shows up here first. Nor may any page's longest <select> gain options: partners,
people, seals and the like are chosen by searching as you type.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.test import TestCase

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import crawl  # noqa: E402

# Pages whose counts still grow with the data, each owned by other work in progress:
# the audit trail resolves each entry's objects one at a time. Remove a name once its page
# is fixed.
KNOWN_TO_GROW = frozenset({"companies:audit-log"})
# Selects of sets that stay small however large the company: the security profile's
# submissions (one a year, plus any resubmission the office asks for).
SMALL_SETS = frozenset({"profiles:submission-diff", "profiles:submission-list"})


class QueryCountsDoNotGrowWithDataTests(TestCase):
    world: Any

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = crawl.build(crawl.SMALL)

    def test_every_url_keeps_its_query_count_when_the_company_grows(self) -> None:
        before = crawl.survey(self.world)
        crawl.grow(self.world, crawl.SMALL_PLUS, start=1000)
        after = crawl.survey(self.world)
        self.assertGreater(len(before), 200, "the crawl found the permission matrix's URLs")
        pairs = [
            (f"{name} {label}".strip(), before[key], after[key])
            for key in before
            if key in after
            for name, label in [key]
        ]
        grown = {
            url: (a.queries, b.queries)
            for url, a, b in pairs
            # Fewer is fine: a cache the first walk filled (the published catalogue).
            if b.queries > a.queries and url.split()[0] not in KNOWN_TO_GROW
        }
        self.assertEqual(grown, {}, "query counts (small tenant, larger tenant)")
        wider = {
            url: (a.options, b.options)
            for url, a, b in pairs
            if b.options > a.options and url.split()[0] not in SMALL_SETS
        }
        self.assertEqual(wider, {}, "options of the longest select (small, larger tenant)")
