"""`country_threats`: the threat picture the risk assessment reads."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.testing import PersonaTestCase
from threats.models import Category, ThreatRating
from threats.services import country_threats

TODAY = datetime.date(2026, 6, 1)


class CountryThreatsTests(PersonaTestCase):
    def rate(
        self, country: str, category: str, level: str, region: str = "", **extra: object
    ) -> ThreatRating:
        fields: dict[str, object] = {
            "company": self.company,
            "country": country,
            "region": region,
            "category": category,
            "level": level,
            "source": "U.S. Department of State, Travel Advisory",
            "rated_on": datetime.date(2026, 3, 1),
        }
        fields.update(extra)
        return ThreatRating.objects.create(**fields)

    def test_level_is_the_highest_category_and_gaps_stay_unrated(self) -> None:
        self.rate("MX", Category.TERRORISM, "L")
        self.rate("MX", Category.THEFT, "H")
        self.rate("MX", Category.CONTRABAND, "M")
        result = country_threats(self.company, [("MX", "")], today=TODAY)[("MX", "")]
        self.assertEqual(result.level, "H")
        self.assertEqual(result.by_category, {"terrorism": "L", "contraband": "M", "theft": "H"})
        self.assertNotIn("theft", result.unrated)
        self.assertIn("agricultural", result.unrated)
        self.assertEqual(len(result.unrated), len(Category.values) - 3)
        self.assertFalse(result.stale)

    def test_nothing_rated_means_no_level_never_a_default(self) -> None:
        result = country_threats(self.company, [("CO", "")], today=TODAY)[("CO", "")]
        self.assertIsNone(result.level)
        self.assertEqual(result.by_category, {})
        self.assertEqual(result.unrated, list(Category.values))

    def test_region_falls_back_to_its_country_category_by_category(self) -> None:
        self.rate("MX", Category.TERRORISM, "L")
        self.rate("MX", Category.THEFT, "M")
        self.rate("MX", Category.THEFT, "H", region="MX-CHH")
        answer = country_threats(
            self.company, [("MX", "MX-CHH"), ("MX", "MX-YUC"), ("MX", "")], today=TODAY
        )
        chihuahua = answer[("MX", "MX-CHH")]
        self.assertEqual(chihuahua.by_category, {"terrorism": "L", "theft": "H"})
        self.assertEqual(chihuahua.level, "H")
        # A region nobody rated takes the whole country's ratings.
        self.assertEqual(answer[("MX", "MX-YUC")].by_category, {"terrorism": "L", "theft": "M"})
        self.assertEqual(answer[("MX", "")].level, "M")

    def test_stale_when_a_rating_used_is_older_than_a_year(self) -> None:
        self.rate("GT", Category.TERRORISM, "L", rated_on=datetime.date(2025, 5, 31))
        self.rate("GT", Category.THEFT, "M", rated_on=datetime.date(2026, 5, 1))
        self.assertTrue(country_threats(self.company, [("GT", "")], today=TODAY)[("GT", "")].stale)
        fresh = country_threats(self.company, [("GT", "")], today=datetime.date(2026, 5, 31))
        self.assertFalse(fresh[("GT", "")].stale)

    def test_another_companys_ratings_are_not_used(self) -> None:
        ThreatRating.objects.create(
            company=self.other_company,
            country="MX",
            category=Category.TERRORISM,
            level="H",
            source="Their own notes",
            rated_on=datetime.date(2026, 3, 1),
        )
        result = country_threats(self.company, [("mx", "")], today=TODAY)[("mx", "")]
        self.assertIsNone(result.level)


class RatingRulesTests(PersonaTestCase):
    def test_rating_without_a_source_is_refused(self) -> None:
        rating = ThreatRating(
            company=self.company,
            country="MX",
            category=Category.TERRORISM,
            level="H",
            source="   ",
            rated_on=datetime.date(2026, 1, 1),
        )
        with self.assertRaises(ValidationError) as raised:
            rating.full_clean()
        self.assertIn("without a source", raised.exception.message_dict["source"][0])
        with self.assertRaises(IntegrityError), transaction.atomic():
            ThreatRating.objects.create(
                company=self.company,
                country="MX",
                category=Category.TERRORISM,
                level="H",
                source="",
                rated_on=datetime.date(2026, 1, 1),
            )

    def test_region_must_be_inside_the_country(self) -> None:
        rating = ThreatRating(
            company=self.company,
            country="GT",
            region="mx-chh",
            category=Category.THEFT,
            level="H",
            source="OSAC Guatemala Country Security Report",
            rated_on=datetime.date(2026, 1, 1),
        )
        with self.assertRaises(ValidationError) as raised:
            rating.full_clean()
        self.assertIn("region", raised.exception.message_dict)
