"""The questionnaire's state refusals are `core.refusals` (409 with a stable code; a bad
answer is `Invalid`, 400): the member's page shows them as a message and the partner's
link page as an error, and nothing changes."""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.refusals import Invalid, NotAllowed
from portal.testing import PersonaTestCase
from questionnaires import workflow
from questionnaires.models import Status
from questionnaires.tests.test_questionnaires import all_answers, link, make_partner


class QuestionnaireRefusalTests(PersonaTestCase):
    def setUp(self) -> None:
        cache.delete("questionnaires:link:127.0.0.1")
        self.partner = make_partner(self.company)
        self.questionnaire, self.token = workflow.send(
            self.partner, contact_email="seguridad@example.test"
        )

    def submit(self) -> None:
        answers = {
            key.removeprefix("answer-"): (value, "")
            for key, value in all_answers(self.questionnaire).items()
        }
        workflow.save_answers(self.questionnaire, "Ana", answers)
        workflow.submit(self.questionnaire, "Ana")

    def test_a_submitted_questionnaire_refuses_revoke_and_a_new_link_with_409_codes(self) -> None:
        self.submit()
        for step in (workflow.revoke, workflow.new_link):
            with self.assertRaises(NotAllowed) as caught:
                step(self.questionnaire)
            self.assertEqual(caught.exception.code, "questionnaire_submitted")
            self.assertEqual(caught.exception.status, 409)
        with self.assertRaises(NotAllowed) as closed:
            workflow.save_answers(self.questionnaire, "Ana", {})
        self.assertEqual(closed.exception.code, "questionnaire_closed")
        self.login("user")
        url = reverse(
            "questionnaires:questionnaire-revoke", args=[self.company.pk, self.questionnaire.pk]
        )
        response = self.client.post(url, follow=True)
        self.assertContains(response, "A submitted questionnaire has no open link to revoke.")
        self.questionnaire.refresh_from_db()
        self.assertEqual(self.questionnaire.status, Status.SUBMITTED)

    def test_submitting_with_questions_open_is_refused_and_the_link_page_says_which(self) -> None:
        with self.assertRaises(NotAllowed) as caught:
            workflow.submit(self.questionnaire, "Ana")
        self.assertEqual(caught.exception.code, "questionnaire_incomplete")
        with self.assertRaises(Invalid) as nameless:
            workflow.submit(self.questionnaire, " ")
        self.assertEqual(
            (nameless.exception.code, nameless.exception.status), ("name_required", 400)
        )
        response = Client().post(
            link(self.token), {"name": "Ana", "answer-perimeter": "yes", "action": "submit"}
        )
        self.assertContains(response, "Answer every question before submitting", status_code=400)
        self.assertContains(response, "Questions without an answer", status_code=400)
        self.questionnaire.refresh_from_db()
        self.assertNotEqual(self.questionnaire.status, Status.SUBMITTED)
