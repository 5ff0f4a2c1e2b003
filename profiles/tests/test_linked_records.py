"""A criterion's page shows the figures other parts of the portal keep for it (training
completion for the training criteria), and nothing for a criterion no record backs."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from catalogue.models import Catalogue
from profiles import linked
from profiles.linked import LinkedRecord
from profiles.models import SecurityProfile
from profiles.tests.factories import ProfilesTestCase, criterion, make_catalogue
from training.tests import factories as training


class LinkedRecordTests(ProfilesTestCase):
    catalogue: Catalogue

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        SecurityProfile.start(cls.company)
        guard = training.role(cls.company)
        course = training.course(
            cls.company,
            "security_team",
            roles=[guard],
            criteria=["1.2"],
            title_en="Security team briefing",
        )
        done = training.employee(cls.company, "Ana", "Ruiz", roles=[guard])
        training.employee(cls.company, "Luis", "Paz", roles=[guard])
        training.record(done, course, timezone.localdate() - datetime.timedelta(days=10))

    def page(self, ref_id: str) -> str:
        self.login("user")
        url = reverse(
            "profiles:response-edit", args=[self.company.pk, criterion(self.catalogue, ref_id).pk]
        )
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_training_criterion_shows_the_course_completion(self) -> None:
        html = self.page("1.2")
        self.assertIn('data-testid="linked-records"', html)
        self.assertIn("Security team briefing", html)
        self.assertIn("50% current (1 of 2 people)", html)

    def test_sources_are_listed_in_their_registered_order(self) -> None:
        item = LinkedRecord("x", "Extra figure", "7", "/x/")
        linked.register("zz-test", "Extra source", lambda company, ref: [item], order=15)
        try:
            records = linked.linked_records(self.company, "1.2")
        finally:
            del linked._providers["zz-test"]
        self.assertEqual(
            list(dict.fromkeys(r.source for r in records)),
            ["Training and personnel", "Extra source"],
        )

    def test_a_criterion_without_records_shows_none(self) -> None:
        self.assertNotIn('data-testid="linked-records"', self.page("4.2"))
