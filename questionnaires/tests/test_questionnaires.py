"""Partner security questionnaires: the link, answering, scoring, actions, re-assessment."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from actions.models import CorrectiveAction
from partners.models import BusinessPartner, PartnerRole
from portal.testing import PersonaTestCase, add_member, make_company, make_user
from questionnaires import dashboard, evidence, schedule, workflow
from questionnaires.models import Answer, AnswerEvidence, Questionnaire, Status
from questionnaires.question_sets import bank, parse

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(moment: datetime.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def utc(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def make_partner(company: Any, name: str = "Bodega Sur", role: str = "warehouse", **kw: Any) -> Any:
    return BusinessPartner.objects.create(
        company=company,
        name=name,
        role=role,
        country="MX",
        contact_email="seguridad@example.test",
        **kw,
    )


def link(token: str) -> str:
    return reverse("questionnaire-links:answer", args=[token])


def all_answers(questionnaire: Questionnaire, option: str = "yes") -> dict[str, str]:
    """POST data answering every question with `option`."""
    questions = questionnaire.question_set().questions
    return {f"answer-{q.id}": option for q in questions}


class LinkTestCase(TestCase):
    def setUp(self) -> None:
        cache.delete("questionnaires:link:127.0.0.1")
        self.company = make_company("Acme Imports LLC")
        self.partner = make_partner(self.company)
        self.questionnaire, self.token = workflow.send(
            self.partner, contact_email="seguridad@example.test"
        )


class QuestionBankTests(TestCase):
    def test_every_partner_role_gets_a_set_in_english_and_spanish(self) -> None:
        for role in PartnerRole.values:
            questions = bank().for_role(role)
            self.assertGreaterEqual(len(questions.questions), 10, role)
            for question in questions.questions:
                self.assertTrue(question.texts["es"] and question.texts["en"])
                self.assertRegex(question.criterion, r"^\d+\.\d+$")

    def test_business_partner_criteria_are_asked(self) -> None:
        criteria = {q.criterion for q in bank().for_role("manufacturer").questions}
        self.assertLessEqual({"3.1", "3.4", "3.5"}, criteria)

    def test_mistakes_in_the_data_are_all_reported_with_their_place(self) -> None:
        questions = {
            "version": "x",
            "option": [{"key": "yes", "score": 1.0, "en": "Yes", "es": "Sí"}],
            "question": [
                {"id": "a", "criterion": "3.1", "level": "should", "en": "A?"},
                {"id": "b", "criterion": "99.9", "level": "must", "en": "B?", "es": "¿B?"},
            ],
        }
        templates = {"template": {"t": {"roles": ["warehouse"], "en": "T", "es": "T",
                                        "questions": ["a", "zzz"]}}}  # fmt: skip
        with self.assertRaises(ImproperlyConfigured) as caught:
            parse(questions, templates, ["warehouse", "agent"], {"3.1": "must"})
        message = str(caught.exception)
        self.assertIn('question 1 (a): "es" text missing', message)
        self.assertIn("level should differs from the catalogue's must", message)
        self.assertIn("criterion 99.9 is not in the MSC catalogue", message)
        self.assertIn('question "zzz" is not in questions.toml', message)
        self.assertIn('partner role "agent" has no question set', message)


class QuestionsByRoleTests(TestCase):
    """A question that names partner roles is put to those roles only (the carrier set is
    shared by highway, rail, air and sea carriers)."""

    def test_a_trucking_partner_is_not_asked_the_sea_carriers_question(self) -> None:
        company = make_company("Acme Imports LLC")
        asked = {}
        for role in ("highway_carrier", "rail_carrier", "air_carrier", "sea_carrier"):
            partner = make_partner(company, name=f"Carrier {role}", role=role)
            questionnaire, token = workflow.send(partner, contact_email="x@example.test")
            asked[role] = {q.id for q in questionnaire.question_set().questions}
            page = self.client.get(link(token))
            with self.subTest(role):
                self.assertEqual(questionnaire.template_key, "carrier")
                self.assertEqual("vessel-access" in asked[role], role == "sea_carrier")
                self.assertEqual("vessel" in page.content.decode().lower(), role == "sea_carrier")
        self.assertIn("no-stop-policy", asked["highway_carrier"])
        self.assertIn("no-stop-policy", asked["rail_carrier"])
        self.assertNotIn("no-stop-policy", asked["air_carrier"])
        self.assertEqual(
            asked["highway_carrier"] & {"carrier-subcontracting"}, {"carrier-subcontracting"}
        )
        self.assertNotIn("carrier-subcontracting", asked["sea_carrier"])

    def test_the_role_at_sending_decides_even_if_the_partner_changes_later(self) -> None:
        company = make_company("Acme Imports LLC")
        partner = make_partner(company, name="Naviera", role="sea_carrier")
        questionnaire, _token = workflow.send(partner, contact_email="x@example.test")
        BusinessPartner.objects.filter(pk=partner.pk).update(role="highway_carrier")
        questionnaire = Questionnaire.objects.get(pk=questionnaire.pk)
        self.assertIn("vessel-access", {q.id for q in questionnaire.question_set().questions})

    def test_a_question_naming_a_role_outside_its_sets_is_refused(self) -> None:
        questions = {
            "version": "x",
            "option": [{"key": "yes", "score": 1.0, "en": "Yes", "es": "Sí"}],
            "question": [
                {"id": "a", "criterion": "3.1", "level": "must", "en": "A?", "es": "¿A?",
                 "roles": ["agent"]},
                {"id": "b", "criterion": "3.1", "level": "must", "en": "B?", "es": "¿B?",
                 "roles": ["spaceship"]},
            ],
        }  # fmt: skip
        templates = {"template": {"t": {"roles": ["warehouse"], "en": "T", "es": "T",
                                        "questions": ["a", "b"]}}}  # fmt: skip
        with self.assertRaises(ImproperlyConfigured) as caught:
            parse(questions, templates, ["warehouse", "agent"], None)
        message = str(caught.exception)
        self.assertIn('question "a" applies to none of this set\'s roles', message)
        self.assertIn("question 2 (b): roles must be a list of partner roles", message)


class MagicLinkSecurityTests(LinkTestCase):
    def test_the_link_opens_only_its_questionnaire_and_the_token_is_not_stored(self) -> None:
        response = self.client.get(link(self.token))
        self.assertContains(response, "Bodega Sur")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertNotIn(self.token, str(Questionnaire.objects.values_list().get()))

    def test_bad_links_all_get_the_same_neutral_answer(self) -> None:
        other_partner = make_partner(self.company, "Transportes Río")
        other, other_token = workflow.send(other_partner, contact_email="x@example.test")
        workflow.save_answers(other, "Luis", {"perimeter": ("yes", "")})
        file = AnswerEvidence(answer=other.answers.get(), uploaded_by_name="Luis", size=1)
        file.save()

        expired_q, expired = workflow.send(self.partner, contact_email="a@example.test")
        expired_q.expires_at = timezone.now() - datetime.timedelta(seconds=1)
        expired_q.save()
        revoked_q, revoked = workflow.send(self.partner, contact_email="b@example.test")
        workflow.revoke(revoked_q)
        tampered = self.token[:-1] + ("A" if self.token[-1] != "A" else "B")

        urls = {
            "expired": link(expired),
            "revoked": link(revoked),
            "tampered": link(tampered),
            "unknown": link("x" * 43),
            "another partner's file": reverse(
                "questionnaire-links:evidence", args=[self.token, file.pk]
            ),
            "unknown file": reverse("questionnaire-links:evidence", args=[other_token, 999999]),
        }
        answers = {what: self.client.get(url) for what, url in urls.items()}
        first = answers["unknown"]
        self.assertEqual(first.status_code, 404)
        self.assertContains(first, "does not open a questionnaire", status_code=404)
        for what, response in answers.items():
            with self.subTest(what):
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.content, first.content)
                self.assertNotContains(response, "Bodega", status_code=404)
        # Posting to a bad link changes nothing either.
        response = self.client.post(link(revoked), {"name": "X", "answer-perimeter": "no"})
        self.assertEqual(response.content, first.content)
        self.assertFalse(revoked_q.answers.exists())

    def test_the_link_stops_working_after_expiry(self) -> None:
        self.assertEqual(self.client.get(link(self.token)).status_code, 200)
        with at(timezone.now() + datetime.timedelta(days=31)):
            self.assertEqual(self.client.get(link(self.token)).status_code, 404)

    @override_settings(QUESTIONNAIRE_LINK_RATE=(3, 60))
    def test_requests_from_one_address_are_rate_limited(self) -> None:
        for _ in range(3):
            self.assertEqual(self.client.get(link("guess")).status_code, 404)
        self.assertContains(self.client.get(link(self.token)), "Too many", status_code=429)
        other = self.client.get(link(self.token), REMOTE_ADDR="10.0.0.9")
        self.assertEqual(other.status_code, 200)
        cache.delete("questionnaires:link:10.0.0.9")

    @override_settings(QUESTIONNAIRE_LINK_RATE=(2, 60), TRUSTED_PROXY_COUNT=1)
    def test_behind_the_proxy_each_client_has_its_own_allowance(self) -> None:
        office = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "10.0.0.1"}
        for _ in range(2):
            self.client.get(link(self.token), **office)  # type: ignore[arg-type]
        self.assertEqual(self.client.get(link(self.token), **office).status_code, 429)  # type: ignore[arg-type]
        elsewhere = {"HTTP_X_FORWARDED_FOR": "198.51.100.4", "REMOTE_ADDR": "10.0.0.1"}
        self.assertEqual(self.client.get(link(self.token), **elsewhere).status_code, 200)  # type: ignore[arg-type]


class AnsweringTests(LinkTestCase):
    def test_save_and_resume(self) -> None:
        url = link(self.token)
        response = self.client.post(
            url,
            {"name": "Ana Ruiz", "answer-perimeter": "partly", "comment-perimeter": "North wall",
             "action": "save"},
        )  # fmt: skip
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.questionnaire.refresh_from_db()
        self.assertEqual(self.questionnaire.status, Status.IN_PROGRESS)
        # Coming back later with the same link: the answer, the comment and the name are there.
        page = self.client.get(url)
        self.assertContains(page, 'value="partly" checked')
        self.assertContains(page, "North wall")
        self.assertContains(page, 'value="Ana Ruiz"')
        self.assertContains(page, "1 of 20 questions answered")

    def test_two_contributors_each_answer_is_stamped_with_its_author(self) -> None:
        url = link(self.token)
        ana, luis = Client(), Client()
        ana.post(url, {"name": "Ana", "answer-perimeter": "yes", "action": "save"})
        # Luis's form still shows Ana's answer and sends it back unchanged with his own.
        luis.post(
            url,
            {"name": "Luis", "answer-perimeter": "yes", "answer-gates": "no", "action": "save"},
        )
        by = dict(self.questionnaire.answers.values_list("question_id", "answered_by"))
        self.assertEqual(by, {"perimeter": "Ana", "gates": "Luis"})
        # Changing an answer moves it to the person who changed it.
        ana.post(url, {"name": "Ana", "answer-gates": "yes", "action": "save"})
        self.assertEqual(self.questionnaire.answers.get(question_id="gates").answered_by, "Ana")

    def test_an_older_form_does_not_undo_a_colleagues_change(self) -> None:
        url = link(self.token)
        ana, luis = Client(), Client()
        ana.post(url, {"name": "Ana", "answer-gates": "no", "action": "save"})
        luis_page = luis.get(url)  # Luis opens the page: gates shows "no"
        self.assertContains(luis_page, 'name="shown-gates" value="no"')
        ana.post(url, {"name": "Ana", "answer-gates": "yes", "shown-gates": "no"})
        # Luis sends his page as he saw it, with his own new answer.
        luis.post(
            url,
            {"name": "Luis", "answer-gates": "no", "shown-gates": "no", "shown-comment-gates": "",
             "answer-lighting": "partly"},
        )  # fmt: skip
        answers = {a.question_id: (a.option, a.answered_by) for a in Answer.objects.all()}
        self.assertEqual(answers, {"gates": ("yes", "Ana"), "lighting": ("partly", "Luis")})

    def test_a_name_is_required(self) -> None:
        response = self.client.post(link(self.token), {"answer-perimeter": "yes"})
        self.assertContains(response, "Enter your name", status_code=400)
        self.assertFalse(self.questionnaire.answers.exists())

    def test_not_applicable_is_refused_where_the_question_forbids_it(self) -> None:
        response = self.client.post(
            link(self.token), {"name": "Ana", "answer-ctpat-aeo-status": "na"}
        )
        self.assertContains(response, "cannot be answered", status_code=400)

    def test_evidence_upload_is_checked_and_stored(self) -> None:
        url = link(self.token)
        upload = SimpleUploadedFile("fence.pdf", PDF, content_type="application/pdf")
        response = self.client.post(
            url, {"name": "Ana", "answer-perimeter": "yes", "file-perimeter": upload}
        )
        self.assertEqual(response.status_code, 302)
        stored = AnswerEvidence.objects.get()
        self.assertEqual(
            (stored.original_name, stored.content_type, stored.uploaded_by_name),
            ("fence.pdf", "application/pdf", "Ana"),
        )
        self.assertContains(self.client.get(url), "fence.pdf")
        self.assertEqual(
            self.client.get(
                reverse("questionnaire-links:evidence", args=[self.token, stored.pk])
            ).getvalue(),
            PDF,
        )

    @override_settings(CTPAT_UPLOAD_MAX_MB=1)
    def test_oversized_upload_is_refused_and_nothing_is_saved(self) -> None:
        big = SimpleUploadedFile("plan.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
        response = self.client.post(
            link(self.token), {"name": "Ana", "answer-perimeter": "yes", "file-perimeter": big}
        )
        self.assertContains(response, "Question 8", status_code=400)
        self.assertContains(response, "files may be at most 1 MB", status_code=400)
        self.assertFalse(Answer.objects.exists())
        self.assertFalse(AnswerEvidence.objects.exists())

    def test_wrong_type_upload_is_refused(self) -> None:
        program = SimpleUploadedFile("policy.pdf", b"MZ\x90\x00" + b"\x00" * 200)
        response = self.client.post(
            link(self.token), {"name": "Ana", "answer-perimeter": "yes", "file-perimeter": program}
        )
        self.assertContains(response, "a Windows program", status_code=400)
        self.assertFalse(AnswerEvidence.objects.exists())

    def test_a_file_needs_an_answer(self) -> None:
        upload = SimpleUploadedFile("fence.pdf", PDF)
        response = self.client.post(link(self.token), {"name": "Ana", "file-gates": upload})
        self.assertContains(response, "Choose an answer before attaching", status_code=400)

    def test_spanish_by_choice_of_the_sender_or_the_switch(self) -> None:
        url = link(self.token)
        self.assertContains(self.client.get(url), "Do cameras cover the key import")
        self.assertContains(self.client.get(url + "?lang=es"), "¿Las cámaras cubren")
        # The choice sticks for the rest of the visit.
        self.assertContains(self.client.get(url), "Guardar y continuar después")
        q, token = workflow.send(self.partner, contact_email="a@example.test", language="es")
        self.assertContains(Client().get(link(token)), "¿Las cámaras cubren")

    def test_submit_needs_every_answer_then_locks(self) -> None:
        url = link(self.token)
        response = self.client.post(url, {"name": "Ana", "answer-perimeter": "yes",
                                          "action": "submit"})  # fmt: skip
        self.assertContains(response, "19 still open", status_code=400)
        self.assertEqual(self.questionnaire.answers.count(), 1)  # saved anyway
        data = {"name": "Ana", "action": "submit", **all_answers(self.questionnaire)}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.questionnaire.refresh_from_db()
        self.assertEqual(self.questionnaire.status, Status.SUBMITTED)
        self.assertEqual(self.questionnaire.submitted_by_name, "Ana")
        # Locked: later posts change nothing and the page is read-only.
        self.client.post(url, {"name": "Eve", "answer-perimeter": "no"})
        self.assertEqual(self.questionnaire.answers.get(question_id="perimeter").option, "yes")
        self.assertContains(self.client.get(url), "can no longer be changed")

    def test_the_partner_gets_a_copy_of_the_answers_it_submitted(self) -> None:
        url = link(self.token)
        data = {"name": "Ana", "action": "submit", **all_answers(self.questionnaire)}
        data["answer-perimeter"] = "partly"
        data["comment-perimeter"] = "Fence repaired in March"
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.client.post(url, data).status_code, 302)
        copies = [m for m in mail.outbox if "Copy of your answers" in m.subject]
        self.assertEqual(len(copies), 1)
        copy = copies[0]
        self.assertEqual(copy.to, ["seguridad@example.test"])
        self.assertIn("Copia de sus respuestas", copy.subject)  # no language chosen: both
        perimeter = self.questionnaire.question_set().question("perimeter")
        assert perimeter is not None
        self.assertIn(perimeter.text("en"), copy.body)
        self.assertIn("Fence repaired in March", copy.body)
        self.assertIn("submitted by Ana", copy.body)
        self.assertIn(bank().option("partly").label("en"), copy.body)  # type: ignore[union-attr]


class ScoringTests(LinkTestCase):
    def _score(self, chosen: dict[str, str]) -> workflow.Score:
        questions = bank().sets["broker"]
        return workflow.compute_score(questions, chosen, bank())

    def test_weighted_score_and_band(self) -> None:
        # Broker set: 13 questions, weights Must 2 / Should 1; one Should (backups) and
        # one Should (paper-documents): total weight 11 x 2 + 2 x 1 = 24.
        chosen = {q.id: "yes" for q in bank().sets["broker"].questions}
        self.assertEqual(self._score(chosen).percent, Decimal("100.0"))
        self.assertEqual(self._score(chosen).band, "strong")
        chosen["cyber-policy"] = "no"  # Must: loses 2 of 24
        chosen["backups"] = "partly"  # Should: loses 0.5 of 24
        score = self._score(chosen)
        self.assertEqual((score.earned, score.possible), (Decimal("21.5"), 24))
        self.assertEqual(score.percent, Decimal("89.6"))
        chosen["paper-documents"] = "na"  # left out: 20.5 of 23
        self.assertEqual(self._score(chosen).percent, Decimal("89.1"))
        for qid in ("partner-vetting", "access-by-role", "individual-accounts"):
            chosen[qid] = "no"  # 14.5 of 23
        score = self._score(chosen)
        self.assertEqual((score.percent, score.band), (Decimal("63.0"), "adequate"))
        chosen["document-accuracy"] = "no"  # 12.5 of 23
        self.assertEqual(self._score(chosen).band, "weak")

    def test_nothing_applicable_has_no_score(self) -> None:
        chosen = {q.id: "na" for q in bank().sets["broker"].questions}
        self.assertIsNone(self._score(chosen).percent)

    def test_submit_stores_the_score_and_raises_actions_for_weak_answers(self) -> None:
        data = all_answers(self.questionnaire)
        data.update({"answer-perimeter": "no", "answer-fencing": "partly",
                     "comment-fencing": "East side missing", "answer-lighting": "na"})  # fmt: skip
        with at(utc(2026, 5, 4)):
            self.client.post(link(self.token), {"name": "Ana", "action": "submit", **data})
        self.questionnaire.refresh_from_db()
        # Warehouse: 18 Must (36) + 2 Should (2); lighting (Must) n/a -> 36 possible;
        # perimeter (Must) no -2, fencing (Should) partly -0.5 -> 33.5 / 36.
        self.assertEqual(self.questionnaire.score, Decimal("93.1"))
        self.assertEqual(self.questionnaire.band, "strong")
        actions = CorrectiveAction.objects.filter(company=self.company).order_by("due_date")
        self.assertEqual(
            [(a.criterion_ref, a.due_date) for a in actions],
            [("9.1", D(2026, 6, 3)), ("9.2", D(2026, 9, 1))],
        )
        fencing = self.questionnaire.answers.get(question_id="fencing")
        self.assertEqual(list(CorrectiveAction.objects.for_source(fencing)), [actions[1]])
        self.assertIn("East side missing", actions[1].description)
        self.assertIn("Bodega Sur", actions[1].title)

    def test_weak_answers_reach_the_action_reminders(self) -> None:
        from core.reminders import due_today

        add_member(self.company, make_user("boss@acme.test"), "officer")
        data = {"name": "Ana", "action": "submit", **all_answers(self.questionnaire)}
        data["answer-gates"] = "no"
        with at(utc(2026, 5, 4)):
            self.client.post(link(self.token), data)
        due = due_today(D(2026, 5, 27))  # 7 days before 3 June
        actions = [d for d in due if d.task.kind == "corrective_action"]
        self.assertEqual([(d.stage, d.task.email) for d in actions], [("7", "boss@acme.test")])


class ReuseTests(LinkTestCase):
    def test_last_years_answers_are_offered_and_marked(self) -> None:
        data = {"name": "Ana", "action": "submit", **all_answers(self.questionnaire)}
        data["answer-gates"] = "partly"
        self.client.post(link(self.token), data)
        new, token = workflow.send(self.partner, contact_email="seguridad@example.test")
        answers = {a.question_id: a for a in new.answers.all()}
        self.assertEqual(len(answers), 20)
        self.assertTrue(all(a.from_last_year for a in answers.values()))
        self.assertEqual(answers["gates"].option, "partly")
        page = Client().get(link(token))
        self.assertContains(page, 'data-testid="from-last-year"', count=20)
        # Luis changes one answer and re-sends the rest unchanged: only his change is his.
        form = {f"answer-{qid}": a.option for qid, a in answers.items()}
        form.update({"name": "Luis", "answer-gates": "yes"})
        Client().post(link(token), form)
        gates = new.answers.get(question_id="gates")
        self.assertEqual((gates.answered_by, gates.from_last_year), ("Luis", False))
        self.assertEqual(new.answers.filter(from_last_year=True).count(), 19)
        # Submitting with the reused answers scores them and raises no action for "gates".
        Client().post(link(token), {**form, "action": "submit"})
        new.refresh_from_db()
        self.assertEqual((new.status, new.score), (Status.SUBMITTED, Decimal("100.0")))


class ReassessmentTests(TestCase):
    def setUp(self) -> None:
        self.company = make_company()
        self.partners = {}
        for tier in ("high", "medium", "low"):
            self.partners[tier] = make_partner(
                self.company, f"Partner {tier}", tier_override=tier, tier_override_reason="test"
            )

    def _submitted(self, partner: Any, when: datetime.datetime) -> Questionnaire:
        with at(when):
            q, _token = workflow.send(partner, contact_email="a@example.test")
            workflow.save_answers(q, "Ana", {k[7:]: (v, "") for k, v in all_answers(q).items()})
            workflow.submit(q, "Ana")
        return q

    def test_reassessment_dates_by_tier(self) -> None:
        for partner in self.partners.values():
            self._submitted(partner, utc(2024, 2, 29))
        due = {tier: schedule.next_due_for(p) for tier, p in self.partners.items()}
        self.assertEqual(
            due, {"high": D(2025, 2, 28), "medium": D(2026, 2, 28), "low": D(2027, 2, 28)}
        )

    def test_partners_with_open_work(self) -> None:
        for partner in self.partners.values():
            self._submitted(partner, utc(2025, 3, 10))
        fresh = make_partner(self.company, "Nuevo Socio")
        with at(utc(2026, 3, 1)):
            workflow.send(fresh, contact_email="a@example.test")
        self.assertEqual(
            evidence.partner_ids_with_open_questionnaires(self.company, D(2026, 3, 10)),
            {fresh.pk},
        )
        self.assertEqual(
            evidence.partner_ids_with_open_questionnaires(self.company, D(2026, 3, 11)),
            {fresh.pk, self.partners["high"].pk},
        )
        # Asked about some partners only, it answers for those.
        self.assertEqual(
            evidence.partner_ids_with_open_questionnaires(
                self.company, D(2026, 3, 11), among=[self.partners["high"].pk]
            ),
            {self.partners["high"].pk},
        )
        self.assertEqual(
            evidence.partner_ids_with_open_questionnaires(
                self.company, D(2026, 3, 11), among=[fresh.pk, self.partners["low"].pk]
            ),
            {fresh.pk},
        )
        with at(utc(2027, 3, 11)):
            self.assertEqual(
                evidence.partner_ids_with_open_questionnaires(self.company),
                {fresh.pk, self.partners["high"].pk, self.partners["medium"].pk},
            )

    def test_partners_due_for_reassessment(self) -> None:
        for partner in self.partners.values():
            self._submitted(partner, utc(2025, 3, 10))
        with at(utc(2026, 2, 1)):
            workflow.send(self.partners["medium"], contact_email="a@example.test")
        due = schedule.due_partners(self.company.pk, D(2026, 1, 15))
        # High is due 2026-03-10 (within 60 days); medium has a questionnaire out since.
        self.assertEqual([(p.name, when) for p, when in due], [("Partner high", D(2026, 3, 10))])
        self.assertEqual(schedule.due_partners(self.company.pk, D(2026, 1, 5)), [])

    def test_dashboard_counts(self) -> None:
        self._submitted(self.partners["high"], utc(2026, 1, 5))
        with at(utc(2026, 3, 1)):
            workflow.send(self.partners["low"], contact_email="a@example.test", valid_days=10)
            workflow.send(self.partners["medium"], contact_email="a@example.test")
            revoked, _t = workflow.send(self.partners["medium"], contact_email="b@example.test")
            workflow.revoke(revoked)
        with at(utc(2026, 3, 20)):
            self.assertEqual(
                dashboard.counts(self.company), {"sent": 2, "overdue": 1, "submitted": 1}
            )
        self.assertEqual(dashboard.counts(make_company("Other")), dict.fromkeys(
            ("sent", "overdue", "submitted"), 0))  # fmt: skip


class MemberPageTests(PersonaTestCase):
    def setUp(self) -> None:
        cache.delete("questionnaires:link:127.0.0.1")
        self.partner = make_partner(self.company, tier_override="high", tier_override_reason="t")

    def test_send_emails_the_link_once(self) -> None:
        self.login("user")
        url = reverse("questionnaires:questionnaire-send", args=[self.company.pk, self.partner.pk])
        data = {
            "contact_email": "ops@bodegasur.test",
            "contact_name": "Olga",
            "language": "es",
            "valid_days": 30,
            "submission_key": "8d3c4a0e-8f58-4c1e-9d55-3f6a7a2f9c10",
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, data)
            self.client.post(url, data)  # a double click sends nothing more
        questionnaire = Questionnaire.objects.get()
        self.assertRedirects(
            response, questionnaire.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["ops@bodegasur.test"])
        self.assertIn("http://testserver/q/", message.body)  # where the portal is served
        self.assertIn("Cuestionario de seguridad", message.subject)
        token = message.body.split("/q/")[1].split("/")[0]
        self.assertContains(Client().get(link(token)), "Bodega Sur")
        page = self.client.get(questionnaire.get_absolute_url())
        self.assertContains(page, token)  # shown once, in the confirmation message
        self.assertNotContains(self.client.get(questionnaire.get_absolute_url()), token)

    def test_member_sees_status_score_actions_and_next_reassessment(self) -> None:
        with at(utc(2026, 2, 2)):
            q, token = workflow.send(self.partner, contact_email="a@example.test")
            data = {"name": "Ana", "action": "submit", **all_answers(q)}
            data["answer-cctv-review"] = "no"
            Client().post(link(token), data)
            late, _t = workflow.send(
                make_partner(self.company, "Almacén Tardío"), contact_email="b@e.test",
                valid_days=1,
            )  # fmt: skip
        self.login("viewer")
        with at(utc(2026, 3, 1)):
            detail = self.client.get(q.get_absolute_url())
            self.assertContains(detail, "94.7 %")  # 36 of 38
            self.assertContains(detail, "Strong")
            action = CorrectiveAction.objects.get()
            self.assertContains(detail, action.get_absolute_url())
            listing = self.client.get(
                reverse("questionnaires:questionnaire-list", args=[self.company.pk])
                + "?status=overdue"
            )
            self.assertContains(listing, "Almacén Tardío")
            self.assertNotContains(listing, "Bodega Sur")
            self.assertContains(listing, "Overdue")
            page = self.client.get(
                reverse(
                    "questionnaires:partner-questionnaires", args=[self.company.pk, self.partner.pk]
                )
            )
            self.assertContains(page, "2027-02-02")  # high tier: one year
            partner_page = self.client.get(self.partner.get_absolute_url())
            self.assertContains(partner_page, "Next re-assessment: 2027-02-02")

    def test_revoke_closes_the_link(self) -> None:
        q, token = workflow.send(self.partner, contact_email="a@example.test")
        self.login("user")
        self.client.post(
            reverse("questionnaires:questionnaire-revoke", args=[self.company.pk, q.pk])
        )
        self.assertEqual(Client().get(link(token)).status_code, 404)

    def test_left_to_the_browser_the_email_is_in_english_and_spanish(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            workflow.send(self.partner, contact_email="a@example.test")
        message = mail.outbox[-1]
        self.assertEqual(
            message.subject,
            "Security questionnaire from Acme Imports LLC / "
            "Cuestionario de seguridad de Acme Imports LLC",
        )
        self.assertIn("no account needed", message.body)
        self.assertIn("sin necesidad de cuenta", message.body)

    def test_a_new_link_replaces_the_old_one_and_keeps_the_answers(self) -> None:
        q, old = workflow.send(self.partner, contact_email="a@example.test")
        workflow.save_answers(q, "Ana", {"perimeter": ("yes", "")})
        workflow.revoke(q)
        self.login("user")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("questionnaires:questionnaire-relink", args=[self.company.pk, q.pk])
            )
        token = mail.outbox[-1].body.split("/q/")[1].split("/")[0]
        self.assertEqual(Client().get(link(old)).status_code, 404)
        page = Client().get(link(token))
        self.assertContains(page, 'value="yes" checked')
        q.refresh_from_db()
        self.assertEqual(q.status, Status.IN_PROGRESS)

    def test_other_companies_see_nothing(self) -> None:
        q, _token = workflow.send(self.partner, contact_email="a@example.test")
        self.login("other")
        self.assertEqual(self.client.get(q.get_absolute_url()).status_code, 404)
        body = self.client.get(reverse("api:questionnaire-list")).json()
        self.assertEqual(body["results"] if isinstance(body, dict) else body, [])

    def test_api_lists_answers(self) -> None:
        q, _token = workflow.send(self.partner, contact_email="a@example.test")
        workflow.save_answers(q, "Ana", {"perimeter": ("yes", "ok")})
        self.login("viewer")
        body = self.client.get(reverse("api:questionnaire-detail", args=[q.pk])).json()
        self.assertEqual(body["status"], "in_progress")
        self.assertEqual(body["answers"][0]["answered_by"], "Ana")
        self.assertEqual(body["answers"][0]["criterion_ref"], "9.1")

    def test_actions_point_back_to_the_answer(self) -> None:
        q, token = workflow.send(self.partner, contact_email="a@example.test")
        data = {"name": "Ana", "action": "submit", **all_answers(q)}
        data["answer-gates"] = "no"
        Client().post(link(token), data)
        action = CorrectiveAction.objects.get()
        self.assertEqual(action.source_type, ContentType.objects.get_for_model(Answer))
        self.assertEqual(action.source_url(), q.get_absolute_url() + "#q-gates")
