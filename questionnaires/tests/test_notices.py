"""The member hears when a partner submits its questionnaire: the officer, the
administrators and whoever sent it, once, with a link to the questionnaire."""

from __future__ import annotations

from django.core import mail

from notices.models import Notice
from portal.testing import PersonaTestCase
from questionnaires import workflow
from questionnaires.tests.test_questionnaires import all_answers, make_partner


class SubmittedNoticeTests(PersonaTestCase):
    def test_submitting_tells_the_managers_and_the_sender(self) -> None:
        partner = make_partner(self.company)
        questionnaire, _token = workflow.send(
            partner, contact_email="seguridad@example.test", sent_by=self.users["user"]
        )
        answers = {k[7:]: (v, "") for k, v in all_answers(questionnaire).items()}
        workflow.save_answers(questionnaire, "Ana", answers)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.submit(questionnaire, "Ana")
        notices = Notice.objects.filter(kind="questionnaire_submitted")
        self.assertEqual(
            sorted(n.user.email for n in notices),
            ["admin@acme.test", "officer@acme.test", "user@acme.test"],
        )
        notice = notices.first()
        assert notice is not None
        self.assertEqual(notice.title, "Bodega Sur submitted its security questionnaire")
        self.assertEqual(notice.url, questionnaire.get_absolute_url())
        self.assertIn("Score: 100", notice.body)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox if "submitted its security" in m.subject),
            ["admin@acme.test", "officer@acme.test", "user@acme.test"],
        )
