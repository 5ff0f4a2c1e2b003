"""The read-only catalogue API."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from catalogue.models import Catalogue
from catalogue.tests.factories import make_catalogue, row


class CatalogueApiTests(TestCase):
    catalogue: Catalogue
    user: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.catalogue = make_catalogue()
        cls.user = User.objects.create_user("reader@norte.test", None)

    def setUp(self) -> None:
        self.client.force_login(self.user)

    def _ids(self, **params: str | int) -> list[str]:
        response = self.client.get(reverse("api:criterion-list"), params)
        self.assertEqual(response.status_code, 200, response.content)
        return [c["ref_id"] for c in response.json()["results"]]

    def test_catalogue_list_and_detail(self) -> None:
        listing = self.client.get(reverse("api:catalogue-list")).json()
        self.assertEqual(listing["count"], 1)
        self.assertEqual(listing["results"][0]["criteria_count"], 3)
        detail = self.client.get(reverse("api:catalogue-detail", args=[self.catalogue.pk])).json()
        self.assertEqual(detail["slug"], "test-msc")
        self.assertEqual(detail["effective_date"], "2020-01-01")
        self.assertEqual(
            detail["categories"],
            [
                {"number": 3, "name": "Business Partners", "focus_area": "Corporate Security"},
                {
                    "number": 12,
                    "name": "Education, Training and Awareness",
                    "focus_area": "People and Physical Security",
                },
            ],
        )

    def test_criteria_filters(self) -> None:
        self.assertEqual(self._ids(), ["3.1", "3.8", "12.8"])
        self.assertEqual(self._ids(business_type="customs_broker"), ["12.8"])
        self.assertEqual(self._ids(category=3), ["3.1", "3.8"])
        self.assertEqual(self._ids(requirement="should"), ["3.8"])
        self.assertEqual(self._ids(business_type="customs_broker", requirement="should"), ["12.8"])
        self.assertEqual(self._ids(business_type="importer", requirement="should"), [])

    def test_catalogue_filter_picks_a_version(self) -> None:
        newer = make_catalogue([row(id="3.4")], version="2")
        self.assertEqual(self._ids(catalogue=newer.pk), ["3.4"])
        self.assertEqual(self._ids(catalogue=self.catalogue.pk), ["3.1", "3.8", "12.8"])

    def test_effective_level_and_provenance_for_a_type(self) -> None:
        response = self.client.get(
            reverse("api:criterion-list"), {"business_type": "customs_broker"}
        ).json()
        [criterion] = response["results"]
        self.assertEqual(criterion["requirement"], "must")
        self.assertEqual(criterion["effective_requirement"], "should")
        self.assertIs(criterion["verified_for_type"], False)
        self.assertEqual(
            criterion["provenance"], "Verified for importers; inferred for customs brokers"
        )
        plain = self.client.get(reverse("api:criterion-detail", args=[criterion["id"]])).json()
        self.assertIsNone(plain["effective_requirement"])
        self.assertEqual(plain["requirement_overrides"], {"customs_broker": "should"})

    def test_bad_filter_values_name_the_field(self) -> None:
        response = self.client.get(reverse("api:criterion-list"), {"business_type": "space"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("business_type", response.json())

    def test_the_api_is_read_only(self) -> None:
        criterion = self.catalogue.criteria.first()
        assert criterion is not None
        url = reverse("api:criterion-detail", args=[criterion.pk])
        self.assertEqual(self.client.patch(url, {"summary": "x"}).status_code, 405)
        self.assertEqual(self.client.delete(url).status_code, 405)
        self.assertEqual(self.client.post(reverse("api:catalogue-list"), {}).status_code, 405)

    def test_list_query_count_does_not_grow_with_the_criteria(self) -> None:
        url = reverse("api:criterion-list")
        with CaptureQueriesContext(connection) as small:
            self.client.get(url, {"business_type": "importer"})
        make_catalogue([row(id=f"3.{n}") for n in range(1, 30)], version="2")
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(url, {"business_type": "importer"})
        self.assertEqual(response.json()["count"], 31)
        self.assertEqual(len(large), len(small))
