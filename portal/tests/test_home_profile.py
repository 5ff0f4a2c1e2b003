"""The home's readiness (computed for many companies in one query) equals the security
profile's own readiness, and the search finds the current profile's criteria."""

from __future__ import annotations

from django.urls import reverse

from portal import homes
from profiles.tests.factories import OneProfileTestCase, answer


class HomeReadinessTests(OneProfileTestCase):
    def test_the_home_readiness_is_the_profiles_readiness(self) -> None:
        answer(self.profile, "3.1", status="implemented")
        answer(self.profile, "1.1", status="partly")
        answer(self.profile, "4.2", status="not_applicable", narrative="No such site.")
        expected = self.profile.readiness()
        path = homes.program_path(self.company)
        self.assertEqual(path.readiness, expected.overall)
        self.assertEqual((path.answered, path.total), (expected.answered, expected.total))
        self.assertEqual(path.musts_unmet, expected.musts_unmet)
        (client,) = [
            c for c in homes.portfolio(self.users["consultant"]) if c.company == self.company
        ]
        self.assertEqual(client.readiness, expected.overall)

    def test_the_profile_step_shows_how_far_it_is(self) -> None:
        self.login("admin")
        page = self.client.get(reverse("home"))
        self.assertContains(page, "0 of 5 answered")
        self.assertContains(page, "3 Must criteria not met")
        self.assertContains(page, "Answer the criteria")

    def test_with_every_criterion_answered_the_step_says_review_and_submit(self) -> None:
        for response in self.profile.responses.select_related("criterion"):
            answer(self.profile, response.criterion.ref_id, status="implemented")
        self.login("officer")
        page = self.client.get(reverse("home"))
        # The program path names the step's action (eligibility is the company's next step).
        self.assertContains(page, "Review and submit the profile")
        self.assertNotContains(page, "Answer the criteria")

    def test_the_search_finds_a_criterion_of_the_current_profile(self) -> None:
        self.login("viewer")
        page = self.client.get(reverse("search", args=[self.company.pk]), {"q": "3.1 summary"})
        self.assertContains(
            page,
            reverse("profiles:response-edit", args=[self.company.pk, self.response.criterion_id]),
        )
