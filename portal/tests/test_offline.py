"""The two addresses the field pages' offline mode relies on."""

from __future__ import annotations

from django.test import Client, TestCase

from accounts.models import User


class OfflineEndpointsTests(TestCase):
    def test_the_service_worker_is_served_from_the_root_and_never_cached(self) -> None:
        response = self.client.get("/sw.js")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/javascript")
        self.assertEqual(response["Service-Worker-Allowed"], "/")
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn(b'addEventListener("fetch"', response.content)

    def test_the_queue_learns_that_the_session_has_ended(self) -> None:
        response = self.client.get("/offline/session")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json()["authenticated"])

    def test_a_signed_in_person_gets_a_token_the_server_accepts(self) -> None:
        user = User.objects.create_user("guard@example.test", None)
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        state = client.get("/offline/session").json()
        self.assertTrue(state["authenticated"])
        self.assertEqual(state["user"], user.pk)  # a queued entry waits for its own person
        # The token works as the header a queued form is sent with.
        fresh = {"x-csrftoken": state["csrf"]}
        posted = client.post("/i18n/setlang/", {"language": "es"}, headers=fresh)
        self.assertNotEqual(posted.status_code, 403)
        stale = {"x-csrftoken": "x" * 64}
        refused = client.post("/i18n/setlang/", {"language": "es"}, headers=stale)
        self.assertEqual(refused.status_code, 403)
