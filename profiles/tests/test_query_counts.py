"""Query counts of the profile page and the gap report, pinned: they must not grow with
the number of criteria, answers, evidence files or submissions (no N+1). The bench
(bench/profile_page.py) measures the time of the same pages on a full-size company."""

from __future__ import annotations

from django.urls import reverse

from catalogue.models import Catalogue
from profiles.models import SecurityProfile
from profiles.tests.factories import ProfilesTestCase, add_evidence, load_msc, submit

# Per request: session, user, MFA middleware (2), company, permission check(s), catalogue,
# profile, criteria, answers with owners, evidence counts, then what the page adds.
# One of them reads the certification date that the annual review recurs on.
PROFILE_PAGE_QUERIES = 15
GAP_REPORT_QUERIES = 10


class QueryCountTests(ProfilesTestCase):
    catalogue: Catalogue
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = load_msc()
        cls.profile = SecurityProfile.start(cls.company)

    def grow(self, answers: int, evidence_per_answer: int, submissions: int) -> None:
        for response in self.profile.responses.order_by("pk")[:answers]:
            response.status = "partly"
            response.owner = self.users["admin"]
            response.save()
            for n in range(evidence_per_answer):
                add_evidence(response, f"Document {n}")
        for _ in range(submissions):
            SecurityProfile.objects.filter(pk=self.profile.pk).update(has_unsubmitted_changes=True)
            submit(self.profile, self.users["officer"])

    def count(self, name: str, expected: int) -> None:
        self.login("user")
        url = reverse(name, args=[self.company.pk])
        self.client.get(url)  # warm the per-process caches (content types, site)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_profile_page_query_count_is_fixed(self) -> None:
        self.count("profiles:profile-detail", PROFILE_PAGE_QUERIES)
        self.grow(answers=30, evidence_per_answer=3, submissions=3)
        self.count("profiles:profile-detail", PROFILE_PAGE_QUERIES)

    def test_the_gap_report_query_count_is_fixed(self) -> None:
        self.count("profiles:gap-report", GAP_REPORT_QUERIES)
        self.grow(answers=30, evidence_per_answer=3, submissions=3)
        self.count("profiles:gap-report", GAP_REPORT_QUERIES)
