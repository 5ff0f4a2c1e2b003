"""Questionnaires in the task list (`questionnaires/reminders.py`): one whose link ran out
before the partner answered waits on its sender (or the managers when nobody is
recorded) until a new link or a revocation; a submitted one waits on its sender until
marked reviewed (page and API); one e-mail reminder each, never twice."""

from __future__ import annotations

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.reminders import send_reminders, tasks_for
from portal.testing import PersonaTestCase
from questionnaires import workflow
from questionnaires.models import Questionnaire
from questionnaires.reminders import KIND, REVIEW_DAYS
from questionnaires.tests.test_questionnaires import all_answers, make_partner


def kinds(user: object) -> list[tuple[str, str]]:
    return [(str(t.title), str(t.url)) for t in tasks_for(user) if t.kind == KIND]  # type: ignore[arg-type]


class QuestionnaireTaskTests(PersonaTestCase):
    def send(
        self, sender: str | None = "user", *, days_ago: int = 40, partner: str = "Bodega Sur"
    ) -> Questionnaire:
        partner_row = make_partner(self.company, partner)
        questionnaire, _token = workflow.send(
            partner_row,
            contact_email="seguridad@example.test",
            sent_by=self.users[sender] if sender else None,
            now=timezone.now() - datetime.timedelta(days=days_ago),
        )
        return questionnaire

    def submit(self, questionnaire: Questionnaire) -> None:
        answers = {k[7:]: (v, "") for k, v in all_answers(questionnaire).items()}
        workflow.save_answers(questionnaire, "Ana", answers)
        workflow.submit(questionnaire, "Ana")
        questionnaire.refresh_from_db()

    def test_an_unanswered_questionnaire_past_its_date_waits_on_its_sender(self) -> None:
        questionnaire = self.send("user")
        expected = [("Questionnaire not answered: Bodega Sur", questionnaire.get_absolute_url())]
        self.assertEqual(kinds(self.users["user"]), expected)
        [task] = [t for t in tasks_for(self.users["user"]) if t.kind == KIND]
        self.assertEqual(task.due, timezone.localdate(questionnaire.expires_at))
        self.assertTrue(task.overdue(timezone.localdate()))
        for persona in ("officer", "admin", "viewer", "other"):
            self.assertEqual(kinds(self.users[persona]), [], persona)

    def test_nobody_recorded_as_sender_leaves_it_to_the_managers(self) -> None:
        self.send(None)
        for persona in ("officer", "admin"):
            self.assertEqual(len(kinds(self.users[persona])), 1, persona)
        for persona in ("user", "viewer", "consultant", "other"):
            self.assertEqual(kinds(self.users[persona]), [], persona)

    def test_a_link_still_open_is_no_task(self) -> None:
        self.send("user", days_ago=3)
        self.assertEqual(kinds(self.users["user"]), [])

    def test_a_new_link_or_a_revocation_ends_it(self) -> None:
        first, second = self.send("user"), self.send("user", partner="Bodega Norte")
        self.assertEqual(len(kinds(self.users["user"])), 2)
        workflow.new_link(first)
        workflow.revoke(second)
        self.assertEqual(kinds(self.users["user"]), [])

    def test_a_submitted_questionnaire_waits_for_review_until_marked(self) -> None:
        questionnaire = self.send("user", days_ago=3)
        self.submit(questionnaire)
        [task] = [t for t in tasks_for(self.users["user"]) if t.kind == KIND]
        self.assertEqual(str(task.title), "Questionnaire to review: Bodega Sur")
        assert questionnaire.submitted_at is not None
        self.assertEqual(
            task.due,
            timezone.localdate(questionnaire.submitted_at) + datetime.timedelta(REVIEW_DAYS),
        )
        self.assertEqual(kinds(self.users["officer"]), [])
        self.assertEqual(kinds(self.users["other"]), [])

        url = reverse(
            "questionnaires:questionnaire-reviewed", args=[self.company.pk, questionnaire.pk]
        )
        self.login("viewer")
        self.assertEqual(self.client.post(url).status_code, 404)
        self.login("other")
        self.assertEqual(self.client.post(url).status_code, 404)
        self.login("user")
        page = self.client.get(questionnaire.get_absolute_url())
        self.assertContains(page, 'data-testid="mark-reviewed"')
        self.assertRedirects(self.client.post(url), questionnaire.get_absolute_url())
        questionnaire.refresh_from_db()
        self.assertEqual(questionnaire.reviewed_by, self.users["user"])
        self.assertEqual(kinds(self.users["user"]), [])
        self.assertContains(self.client.get(questionnaire.get_absolute_url()), "Reviewed ")

    def test_the_api_marks_it_reviewed_and_refuses_one_not_submitted(self) -> None:
        done = self.send("user", days_ago=3)
        out = self.send("user", days_ago=3, partner="Bodega Norte")
        self.submit(done)
        api = self.api_as("user")
        answer = api.post(f"/api/v1/questionnaires/{done.pk}/reviewed/")
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertIsNotNone(answer.json()["reviewed_at"])
        self.assertEqual(kinds(self.users["user"]), [])
        refused = api.post(f"/api/v1/questionnaires/{out.pk}/reviewed/")
        self.assertEqual(refused.status_code, 409)
        self.assertEqual(refused.json()["code"], "questionnaire_not_submitted")
        self.assertEqual(
            self.api_as("viewer").post(f"/api/v1/questionnaires/{done.pk}/reviewed/").status_code,
            404,
        )
        self.assertEqual(api.post("/api/v1/questionnaires/", {}).status_code, 405)

    def test_one_reminder_when_overdue_never_twice(self) -> None:
        self.send("user")
        reviewed_late = self.send("user", days_ago=3, partner="Bodega Norte")
        self.submit(reviewed_late)
        Questionnaire.objects.filter(pk=reviewed_late.pk).update(
            submitted_at=timezone.now() - datetime.timedelta(days=REVIEW_DAYS + 2)
        )
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            made = [d for d in send_reminders() if d.task.kind == KIND]
            again = [d for d in send_reminders() if d.task.kind == KIND]
        self.assertEqual(
            sorted((d.task.key.split(":")[1], d.stage, d.task.email) for d in made),
            [("review", "overdue", "user@acme.test"), ("unanswered", "overdue", "user@acme.test")],
        )
        self.assertEqual(again, [])
        [message] = [m for m in mail.outbox if m.to == ["user@acme.test"]]
        self.assertIn("Questionnaire not answered: Bodega Sur", message.body)
