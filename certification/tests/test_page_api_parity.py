"""A lifecycle step run once through the program-office page and once through the API
writes the same rows (the event, the audit entries), and a refused step reads the same way:
a form error on the page, a 409 with `transition_not_allowed` in the API."""

from __future__ import annotations

from django.urls import reverse

from certification.choices import State
from certification.models import Certification, CertificationEvent
from certification.tests.factories import certification_in
from portal.testing import PersonaTestCase, written

TABLES = (Certification, CertificationEvent)


class TransitionParityTests(PersonaTestCase):
    def page(self, certification: Certification, transition: str) -> object:
        self.login("specialist")
        url = reverse("certification:certification-transition", args=[certification.pk])
        return self.client.post(url, {"transition": transition, "reason": ""})

    def api(self, certification: Certification, transition: str) -> object:
        url = reverse("api:certification-transition", args=[certification.pk])
        data = {"transition": transition, "reason": ""}
        return self.api_as("specialist").post(url, data, format="json")

    def test_a_step_writes_the_same_rows_from_the_page_and_the_api(self) -> None:
        by_page = certification_in(State.APPLIED, self.company)
        by_api = certification_in(State.APPLIED, self.other_company)
        with written(*TABLES) as page:
            self.page(by_page, "start_review")
        with written(*TABLES) as api:
            answer = self.api(by_api, "start_review")
            self.assertEqual(answer.status_code, 200, answer.content)  # type: ignore[attr-defined]
        self.assertEqual(page.rows["certification.CertificationEvent"], 1)
        self.assertEqual(page, api)
        by_page.refresh_from_db()
        by_api.refresh_from_db()
        self.assertEqual((by_page.status, by_api.status), (State.UNDER_REVIEW, State.UNDER_REVIEW))

    def test_a_refused_step_is_a_form_error_and_a_409_with_its_code(self) -> None:
        certification = certification_in(State.UNDER_REVIEW, self.company)
        with written(*TABLES) as page:
            shown = self.page(certification, "certify")
        self.assertContains(shown, "Vetting is not complete")  # type: ignore[arg-type]
        with written(*TABLES) as api:
            answer = self.api(certification, "certify")
        self.assertEqual(answer.status_code, 409)  # type: ignore[attr-defined]
        body = answer.json()  # type: ignore[attr-defined]
        self.assertEqual(body["code"], "transition_not_allowed")
        self.assertIn("Vetting is not complete", body["detail"])
        self.assertFalse(page)
        self.assertFalse(api)
