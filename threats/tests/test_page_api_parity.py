"""Adding and changing a threat rating once through the page and once through the API write
the same rows and audit entries (both call `threats.workflow.save_rating`, which records the
rater), and a duplicate place and category is refused on both sides. Confirming an import has
no API: its page calls `threats.workflow.confirm_import`."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from portal.testing import PersonaTestCase, written
from threats.models import ThreatRating
from threats.tests.test_pages import NOW, form

TABLES = (ThreatRating,)


@time_machine.travel(NOW, tick=False)
class RatingParityTests(PersonaTestCase):
    def test_adding_a_rating_writes_the_same_and_a_duplicate_is_refused_on_both_sides(
        self,
    ) -> None:
        self.login("user")
        page_url = reverse("threats:rating-create", args=[self.company.pk])
        api_url = reverse("api:threat-rating-list")
        with written(*TABLES) as page:
            self.client.post(page_url, form(category="theft"))
        with written(*TABLES) as api:
            answer = self.api_as("user").post(
                api_url, {**form(category="terrorism"), "company": self.company.pk}, format="json"
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["threats.ThreatRating"], 1)
        self.assertEqual(page, api)
        raters = set(ThreatRating.objects.values_list("rated_by__email", flat=True))
        self.assertEqual(raters, {"user@acme.test"})

        with written(*TABLES) as page:
            shown = self.client.post(page_url, form(category="theft", level="L"))
        with written(*TABLES) as api:
            answer = self.api_as("user").post(
                api_url, {**form(category="theft"), "company": self.company.pk}, format="json"
            )
        self.assertContains(shown, "already have a rating")
        self.assertEqual(answer.status_code, 400)
        self.assertFalse(page)
        self.assertFalse(api)

    def test_changing_a_rating_writes_the_same_and_makes_the_changer_its_rater(self) -> None:
        made = {"company": self.company, "rated_by": self.users["admin"]}
        on_page = ThreatRating.objects.create(
            **made, **{**form(category="theft"), "rated_on": datetime.date(2026, 5, 20)}
        )
        by_api = ThreatRating.objects.create(
            **made, **{**form(category="terrorism"), "rated_on": datetime.date(2026, 5, 20)}
        )
        self.login("user")
        with written(*TABLES) as page:
            self.client.post(
                reverse("threats:rating-edit", args=[self.company.pk, on_page.pk]),
                form(category="theft", level="M"),
            )
        with written(*TABLES) as api:
            answer = self.api_as("user").patch(
                reverse("api:threat-rating-detail", args=[by_api.pk]), {"level": "M"}, format="json"
            )
            self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(page.audit, {"threats.threatrating:update": 1})
        self.assertEqual(page, api)
        changed = set(ThreatRating.objects.values_list("level", "rated_by__email"))
        self.assertEqual(changed, {("M", "user@acme.test")})
