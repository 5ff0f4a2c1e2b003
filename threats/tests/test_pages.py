"""Rating pages: a source is required, gaps show as "not rated", stale ratings are
flagged, and every change stays in the country's history."""

from __future__ import annotations

import datetime
import json

import time_machine
from django.urls import reverse

from portal.testing import PersonaTestCase
from threats.models import ThreatRating

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def form(**overrides: str) -> dict[str, str]:
    data = {
        "country": "MX",
        "region": "",
        "category": "theft",
        "level": "H",
        "source": "OSAC Mexico Country Security Report",
        "source_url": "https://www.osac.gov/",
        "rated_on": "2026-05-20",
        "note": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
class RatingPageTests(PersonaTestCase):
    def url(self, name: str, *args: object) -> str:
        return reverse(f"threats:{name}", args=[self.company.pk, *args])

    def test_rating_without_a_source_is_refused_with_a_clear_message(self) -> None:
        self.login("user")
        response = self.client.post(self.url("rating-create"), form(source="  "))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "a rating without a source cannot be saved")
        self.assertFalse(ThreatRating.objects.exists())

    def test_future_date_and_foreign_region_are_refused(self) -> None:
        self.login("user")
        response = self.client.post(
            self.url("rating-create"), form(rated_on="2026-06-02", region="Texas")
        )
        self.assertContains(response, "cannot be in the future")
        self.assertContains(response, "Not a region of this country")
        self.assertFalse(ThreatRating.objects.exists())

    def test_region_by_name_is_stored_as_its_iso_code_and_rater_recorded(self) -> None:
        self.login("user")
        response = self.client.post(self.url("rating-create"), form(region="Nuevo Leon"))
        self.assertEqual(response.status_code, 302)
        rating = ThreatRating.objects.get()
        self.assertEqual((rating.region, rating.rated_by), ("MX-NLE", self.users["user"]))

    def test_second_rating_for_the_same_place_and_category_points_to_the_first(self) -> None:
        first = ThreatRating.objects.create(
            company=self.company, **{**form(), "rated_on": datetime.date(2026, 5, 1)}
        )
        self.login("user")
        response = self.client.post(self.url("rating-create"), form(level="L"))
        self.assertContains(response, "already have a rating")
        self.assertContains(response, self.url("rating-edit", first.pk))
        self.assertEqual(ThreatRating.objects.count(), 1)

    def test_grid_shows_levels_not_rated_gaps_and_stale_flags(self) -> None:
        ThreatRating.objects.create(
            company=self.company, **{**form(), "rated_on": datetime.date(2025, 5, 31)}
        )
        ThreatRating.objects.create(
            company=self.company,
            **{**form(category="terrorism", level="L"), "rated_on": datetime.date(2026, 1, 5)},
        )
        self.login("viewer")
        response = self.client.get(self.url("rating-grid"))
        html = response.content.decode()
        self.assertContains(response, 'data-level="H"')
        self.assertContains(response, 'data-level="L"')
        # Five categories nobody rated: shown as such, never given a value.
        self.assertEqual(html.count("not rated"), 5)
        self.assertEqual(html.count('data-stale="1"'), 1)
        self.assertContains(response, "1 rating is older than a year.")
        # A viewer is offered no way to add or change a rating.
        self.assertNotContains(response, self.url("rating-create"))

    def test_stale_flag_appears_once_a_rating_passes_a_year(self) -> None:
        ThreatRating.objects.create(
            company=self.company, **{**form(), "rated_on": datetime.date(2025, 6, 1)}
        )
        self.login("viewer")
        self.assertNotContains(self.client.get(self.url("rating-grid")), 'data-stale="1"')
        with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
            self.login("viewer")  # a new day, a new sign-in: sessions are short
            self.assertContains(self.client.get(self.url("rating-grid")), 'data-stale="1"')

    def test_region_row_shows_the_country_rating_it_falls_back_to(self) -> None:
        ThreatRating.objects.create(
            company=self.company, **{**form(level="M"), "rated_on": datetime.date(2026, 5, 1)}
        )
        ThreatRating.objects.create(
            company=self.company,
            country="MX",
            region="MX-CHH",
            category="terrorism",
            level="L",
            source="U.S. State Department Country Reports on Terrorism",
            rated_on=datetime.date(2026, 5, 1),
        )
        self.login("viewer")
        response = self.client.get(self.url("rating-grid"))
        self.assertContains(response, "Mexico · Chihuahua")
        self.assertContains(response, "(country)")

    def test_edit_and_delete_stay_in_the_country_history(self) -> None:
        rating = ThreatRating.objects.create(
            company=self.company, **{**form(), "rated_on": datetime.date(2026, 1, 1)}
        )
        self.login("admin")
        response = self.client.post(self.url("rating-edit", rating.pk), form(level="M"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(self.url("rating-delete", rating.pk)).status_code, 200)
        self.client.post(self.url("rating-delete", rating.pk))
        self.assertFalse(ThreatRating.objects.exists())
        page = self.client.get(self.url("country-detail", "MX"))
        self.assertContains(page, "Nothing in this country is rated.")
        history = page.content.decode().split('data-testid="country-history"')[1]
        self.assertIn("Deleted", history)
        self.assertIn("Changed", history)
        self.assertIn("High → Medium", history)

    def test_another_companys_rating_answers_404(self) -> None:
        theirs = ThreatRating.objects.create(
            company=self.other_company, **{**form(), "rated_on": datetime.date(2026, 1, 1)}
        )
        self.login("admin")
        response = self.client.get(self.url("rating-edit", theirs.pk))
        self.assertEqual(response.status_code, 404)

    def test_spanish_page_names_regions_in_spanish(self) -> None:
        ThreatRating.objects.create(
            company=self.company,
            country="US",
            region="US-NY",
            category="theft",
            level="M",
            source="FBI Uniform Crime Reporting, cargo theft",
            rated_on=datetime.date(2026, 1, 1),
        )
        self.login("viewer")
        response = self.client.get(self.url("rating-grid"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(response, "Nueva York")
        self.assertContains(response, "sin calificar")
        self.assertContains(response, "Robo, hurto, secuestro de vehículos y piratería")


@time_machine.travel(NOW, tick=False)
class RatingApiTests(PersonaTestCase):
    def test_api_refuses_a_rating_without_a_source_and_records_the_rater(self) -> None:
        self.login("user")
        url = reverse("api:threat-rating-list")
        payload = {**form(source=""), "company": self.company.pk}
        response = self.client.post(url, json.dumps(payload), content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("source", response.json())
        payload["source"] = "OSAC Mexico Country Security Report"
        response = self.client.post(url, json.dumps(payload), content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["rated_by"], self.users["user"].pk)
        self.assertFalse(response.json()["stale"])
        listed = self.client.get(url, {"country": "mx"}).json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        self.assertEqual([r["level"] for r in rows], ["H"])
