"""The search API and page, with explanations."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from portal.testing import PersonaTestCase


class SearchApiTests(PersonaTestCase):
    def test_returns_hits_with_explanations(self) -> None:
        self.login("viewer")
        response = self.client.get(
            reverse("api:screening-search"),
            {"name": "Bamco Nacional de Cuba", "country": "CH", "type": "organization"},
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        top = data["hits"][0]
        self.assertEqual(top["entity_id"], "306")
        self.assertTrue(top["alert"])
        self.assertGreaterEqual(top["score"], data["threshold"])
        expl = top["explanation"]
        self.assertIn("bamco≈banco", expl["summary"])
        self.assertIn("CUBA", expl["programs"])
        self.assertTrue(any("Zurich" in a for a in expl["addresses"]))
        self.assertEqual(expl["list"], top["list"])

    def test_requires_a_name_and_a_valid_type(self) -> None:
        self.login("other")
        url = reverse("api:screening-search")
        self.assertEqual(self.client.get(url).status_code, 400)
        self.assertEqual(self.client.get(url, {"name": "x", "type": "spaceship"}).status_code, 400)

    def test_anonymous_is_refused(self) -> None:
        response = self.client.get(reverse("api:screening-search"), {"name": "x"})
        self.assertIn(response.status_code, (401, 403))


class SearchPageTests(PersonaTestCase):
    def test_page_shows_hits_and_why(self) -> None:
        self.login("user")
        response = self.client.get(reverse("screening:search"), {"name": "Osama bin Laden"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "BIN LADEN")
        self.assertContains(response, "query coverage")
        self.assertContains(response, 'data-testid="screening-hits"')

    def test_page_is_translated(self) -> None:
        self.login("user")
        response = self.client.get(reverse("screening:search"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(response, "Control de listas")


class WarmUpTests(TestCase):
    """Web processes map the index when they start, before the first search."""

    def test_the_warm_up_thread_leaves_the_index_ready(self) -> None:
        from screening import index as screening_index

        screening_index.clear_cache()
        self.addCleanup(screening_index.clear_cache)
        with self.settings(SCREENING_WARM_ON_START=False):
            self.assertIsNone(screening_index.warm_in_background())
        with self.settings(SCREENING_WARM_ON_START=True):
            thread = screening_index.warm_in_background()
            assert thread is not None
            thread.join(timeout=600)
        self.assertFalse(thread.is_alive())
        self.assertTrue(screening_index._cache)
