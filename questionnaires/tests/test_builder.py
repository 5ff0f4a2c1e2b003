"""Members' own question sets: the builder, versions, import/export, typed answers,
follow-ups and the weighted score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actions.models import CorrectiveAction
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase
from questionnaires import builder, workflow
from questionnaires.models import MemberQuestionSet, Questionnaire, Status
from questionnaires.question_sets import bank

# A 5-question conditional set: a gate log (yes/no, weight 3) with "if no, explain"
# (text, weight 0), seal types (multiple), the last audit (date) and guards (number).
GATES_TOML = """
[template.gates]
roles = ["warehouse", "manufacturer"]
en = "Gate security"
es = "Seguridad de accesos"

[[question]]
id = "gate-log"
type = "yes_no"
criterion = "9.4"
weight = 3
en = "Do you keep a log of every vehicle at the gate?"
es = "¿Lleva un registro de cada vehículo en el acceso?"

[[question]]
id = "gate-why"
type = "text"
weight = 0
en = "If not, explain why."
es = "Si no, explique por qué."
show_if = { question = "gate-log", answers = ["no"] }

[[question]]
id = "seals"
type = "multiple"
criterion = "6.2"
weight = 2
en = "Which seals do you use?"
es = "¿Qué sellos usa?"

  [[question.choice]]
  key = "iso"
  score = 1
  en = "ISO 17712 high-security"
  es = "Alta seguridad ISO 17712"

  [[question.choice]]
  key = "plastic"
  score = 0.25
  en = "Plastic"
  es = "Plástico"

  [[question.choice]]
  key = "none"
  score = 0
  en = "None"
  es = "Ninguno"

[[question]]
id = "last-audit"
type = "date"
weight = 1
en = "When was your last security audit?"
es = "¿Cuándo fue su última auditoría de seguridad?"

[[question]]
id = "guards"
type = "number"
weight = 1
required = false
en = "How many guards per shift?"
es = "¿Cuántos guardias por turno?"
"""


class BuilderTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.partner = BusinessPartner.objects.create(
            company=self.company,
            name="Bodega Sur",
            role="warehouse",
            country="MX",
            contact_email="seguridad@bodegasur.test",
        )

    def imported(self, text: str = GATES_TOML) -> MemberQuestionSet:
        found, _new = workflow.import_set(self.company.pk, text, "toml")
        return found

    def sent(self, question_set: MemberQuestionSet | None = None) -> tuple[Questionnaire, str]:
        question_set = question_set or self.imported()
        if question_set.latest() is None:
            workflow.publish(question_set)
        return workflow.send(
            self.partner, contact_email="a@bodegasur.test", question_set=question_set
        )


class DocumentTests(BuilderTestCase):
    def test_every_problem_names_its_entry_and_the_fix(self) -> None:
        bad = (
            GATES_TOML.replace('type = "date"', 'type = "calendar"')
            .replace(
                'show_if = { question = "gate-log", answers = ["no"] }',
                'show_if = { question = "gate-log", answers = ["maybe"] }',
            )
            .replace('es = "Plástico"', "")
        )
        with self.assertRaises(builder.SetFileError) as caught:
            builder.parse_text(bad, "toml", source="gates.toml")
        problems = caught.exception.problems
        self.assertIn(
            'question 4 ("last-audit"): type "calendar" unknown; use one of single, multiple, '
            "yes_no, date, number, text, file.",
            problems,
        )
        self.assertIn(
            'question 2 ("gate-why"): show_if.answers must list answers of "gate-log" (no, yes).',
            problems,
        )
        self.assertIn(
            'question 3 ("seals"), choice 2: "es" text missing; give the wording in English '
            "and Spanish.",
            problems,
        )
        self.assertEqual(len(problems), 3)

    def test_a_follow_up_must_follow_an_earlier_choice_question(self) -> None:
        moved = GATES_TOML.replace('answers = ["no"]', 'answers = ["x"]').replace(
            'question = "gate-log"', 'question = "last-audit"'
        )
        with self.assertRaises(builder.SetFileError) as caught:
            builder.parse_text(moved, "toml")
        self.assertIn("must be the id of an earlier question", caught.exception.problems[0])

    def test_syntax_errors_and_unknown_fields_are_refused_with_the_fix(self) -> None:
        with self.assertRaises(builder.SetFileError) as caught:
            builder.parse_text("[template.x\n", "toml", source="x.toml")
        self.assertIn("x.toml, line 1, column 12: not valid TOML", str(caught.exception))
        with self.assertRaises(builder.SetFileError) as caught:
            builder.parse_text(GATES_TOML.replace("weight = 3", "wieght = 3"), "toml")
        self.assertIn("unknown field wieght", caught.exception.problems[0])

    def test_toml_and_yaml_round_trip(self) -> None:
        doc = builder.parse_text(GATES_TOML, "toml")
        for fmt in builder.FORMATS:
            with self.subTest(fmt):
                self.assertEqual(builder.parse_text(builder.dump(doc, fmt), fmt), doc)

    def test_a_shipped_style_file_with_an_answer_scale_imports(self) -> None:
        """The shipped questions.toml shape: an [[option]] scale and untyped questions."""
        text = """
[[option]]
key = "yes"
score = 1.0
en = "Yes"
es = "Sí"

[[option]]
key = "no"
score = 0.0
weak = true
en = "No"
es = "No"

[[question]]
id = "perimeter"
criterion = "9.1"
level = "must"
en = "Is the perimeter fenced?"
es = "¿Está cercado el perímetro?"

[template.mine]
roles = ["warehouse"]
en = "Mine"
es = "Mío"
questions = ["perimeter"]
"""
        questions = builder.build(builder.parse_text(text, "toml"), version="1")
        question = questions.question("perimeter")
        assert question is not None
        self.assertEqual((question.kind, question.weight), ("single", 2))
        self.assertEqual([c.key for c in question.choices], ["yes", "no"])

    def test_copy_of_a_shipped_set_keeps_its_questions_and_scale(self) -> None:
        copied = workflow.copy_shipped(self.company.pk, "warehouse")
        shipped = bank().sets["warehouse"]
        draft = copied.draft_set()
        self.assertEqual([q.id for q in draft.questions], [q.id for q in shipped.questions])
        self.assertEqual(copied.key, "warehouse-copy")
        self.assertEqual(
            workflow.copy_shipped(self.company.pk, "warehouse").key, "warehouse-copy-2"
        )
        first = draft.questions[0]
        self.assertEqual(
            [o.key for o in draft.options(first)], [o.key for o in shipped.options(first)]
        )


class VersionTests(BuilderTestCase):
    def test_editing_a_set_never_changes_a_questionnaire_already_sent(self) -> None:
        question_set = self.imported()
        questionnaire, _token = self.sent(question_set)
        entry = dict(question_set.draft["question"][0], en="Changed wording?", weight=10)
        workflow.save_question(question_set, entry, replaces="gate-log")
        workflow.publish(question_set)
        questionnaire = Questionnaire.objects.get(pk=questionnaire.pk)
        asked = questionnaire.question_set().question("gate-log")
        assert asked is not None
        self.assertEqual(
            (asked.texts["en"], asked.weight),
            ("Do you keep a log of every vehicle at the gate?", 3),
        )
        self.assertEqual(questionnaire.template_version, "1")
        later, _token = workflow.send(
            self.partner, contact_email="b@bodegasur.test", question_set=question_set
        )
        self.assertEqual(later.question_set().question("gate-log").weight, 10)  # type: ignore[union-attr]

    def test_publish_refuses_an_empty_or_unchanged_draft(self) -> None:
        empty = workflow.create_set(self.company.pk, key="empty", title_en="E", title_es="V")
        with self.assertRaises(workflow.QuestionSetRefused):
            workflow.publish(empty)
        question_set = self.imported()
        workflow.publish(question_set)
        with self.assertRaises(workflow.QuestionSetRefused):
            workflow.publish(question_set)

    def test_sending_needs_a_published_version_that_fits_the_role(self) -> None:
        question_set = self.imported()
        with self.assertRaises(workflow.QuestionSetRefused):
            workflow.send(self.partner, contact_email="a@x.test", question_set=question_set)
        workflow.publish(question_set)
        carrier = BusinessPartner.objects.create(
            company=self.company, name="Fletes", role="highway_carrier", country="MX"
        )
        with self.assertRaises(workflow.QuestionSetRefused):
            workflow.send(carrier, contact_email="a@x.test", question_set=question_set)
        self.assertFalse(Questionnaire.objects.filter(partner=carrier).exists())

    def test_removing_a_question_with_follow_ups_is_refused(self) -> None:
        question_set = self.imported()
        with self.assertRaises(workflow.QuestionSetRefused):
            workflow.remove_question(question_set, "gate-log")
        workflow.remove_question(question_set, "gate-why")
        workflow.remove_question(question_set, "gate-log")
        self.assertEqual(len(question_set.draft["question"]), 3)

    def test_reimporting_the_same_key_replaces_the_draft_only(self) -> None:
        question_set = self.imported()
        workflow.publish(question_set)
        again, new = workflow.import_set(
            self.company.pk, GATES_TOML.replace("weight = 3", "weight = 5"), "toml"
        )
        self.assertFalse(new)
        self.assertEqual(again.pk, question_set.pk)
        self.assertEqual(again.latest().content["question"][0]["weight"], 3)  # type: ignore[union-attr]
        self.assertEqual(again.draft["question"][0]["weight"], 5)


class ScoreTests(BuilderTestCase):
    def score(self, answers: dict[str, str]) -> Decimal | None:
        questions = builder.build(builder.parse_text(GATES_TOML, "toml"), version="1")
        return workflow.compute_score(questions, answers).percent

    def test_weights_follow_ups_and_types(self) -> None:
        cases = [
            # gate-log 3, seals 2, last-audit 1, guards 1 (gate-why has weight 0)
            ({"gate-log": "yes", "seals": "iso", "last-audit": "2026-01-05"}, Decimal("100.0")),
            # No on the weight-3 question: 3 of 6 possible points lost
            ({"gate-log": "no", "seals": "iso", "last-audit": "2026-01-05"}, Decimal("50.0")),
            # Several choices add up to at most 1: plastic 0.25 + none 0 of 2 → 0.5 / 6
            (
                {"gate-log": "yes", "seals": "plastic,none", "last-audit": "2026-01-05"},
                Decimal("75.0"),
            ),
            ({"gate-log": "yes", "seals": "iso,plastic", "guards": "4"}, Decimal("100.0")),
            ({}, None),
        ]
        for answers, expected in cases:
            with self.subTest(answers):
                self.assertEqual(self.score(answers), expected)


class AnsweringTests(BuilderTestCase):
    def test_follow_up_is_asked_only_when_its_condition_holds(self) -> None:
        questionnaire, _token = self.sent()
        workflow.save_answers(
            questionnaire, "Ana", {"gate-log": ("yes", ""), "gate-why": ("Nunca", "")}
        )
        self.assertFalse(questionnaire.answers.filter(question_id="gate-why").exists())
        self.assertNotIn("gate-why", workflow.missing_questions(questionnaire))
        workflow.save_answers(questionnaire, "Ana", {"gate-log": ("no", "")})
        self.assertIn("gate-why", workflow.missing_questions(questionnaire))
        workflow.save_answers(questionnaire, "Ana", {"gate-why": ("Sin guardia", "")})
        # Changing the answer back drops the explanation: it is no longer asked.
        workflow.save_answers(questionnaire, "Ana", {"gate-log": ("yes", "")})
        self.assertFalse(questionnaire.answers.filter(question_id="gate-why").exists())

    def test_typed_values_are_checked(self) -> None:
        questionnaire, _token = self.sent()
        for qid, value in [
            ("last-audit", "5 de enero"),
            ("guards", "cuatro"),
            ("seals", "iso,gold"),
            ("gate-log", "maybe"),
        ]:
            with self.subTest(qid), self.assertRaises(workflow.AnswerInvalid):
                workflow.save_answers(questionnaire, "Ana", {qid: (value, "")})
        self.assertFalse(questionnaire.answers.exists())

    def test_submit_scores_with_the_weights_and_raises_actions(self) -> None:
        questionnaire, _token = self.sent()
        workflow.save_answers(
            questionnaire,
            "Ana",
            {
                "gate-log": ("no", ""),
                "seals": ("iso", ""),
                "last-audit": ("2026-01-05", ""),
            },
        )
        with self.assertRaises(workflow.QuestionnaireIncomplete):
            workflow.submit(questionnaire, "Ana")  # the explanation is now required
        workflow.save_answers(questionnaire, "Ana", {"gate-why": ("Sin guardia", "")})
        actions = workflow.submit(questionnaire, "Ana")
        self.assertEqual(questionnaire.score, Decimal("50.0"))
        self.assertEqual([a.criterion_ref for a in actions], ["9.4"])
        self.assertEqual(CorrectiveAction.objects.count(), 1)


class PartnerPageTests(BuilderTestCase):
    def test_every_type_renders_and_follow_ups_work_without_script(self) -> None:
        questionnaire, token = self.sent()
        client = Client(HTTP_ACCEPT_LANGUAGE="es")
        url = reverse("questionnaire-links:answer", args=[token])
        page = client.get(url).content.decode()
        self.assertIn("Seguridad de accesos", page)
        self.assertIn('type="checkbox" name="answer-seals" value="iso"', page)
        self.assertIn('type="date" name="answer-last-audit"', page)
        self.assertIn('inputmode="decimal" name="answer-guards"', page)
        self.assertIn('<textarea name="answer-gate-why"', page)
        # Not answered yet: the follow-up is shown with its condition (hidden by script).
        self.assertIn("Responda solo si la pregunta 1 es «No»", page)
        self.assertNotIn(
            'data-testid="question-gate-why" data-show-if="gate-log" data-show-values="no" hidden',
            page,
        )
        client.post(url, {"name": "Ana", "answer-gate-log": "yes", "action": "save"})
        page = client.get(url).content.decode()
        self.assertIn('data-show-values="no" hidden', page)
        response = client.post(
            url,
            {
                "name": "Ana",
                "answer-gate-log": "no",
                "shown-gate-log": "yes",
                "shown-comment-gate-log": "",
                "answer-seals": ["plastic", "iso"],
                "answer-last-audit": "2026-02-01",
                "answer-guards": "",
                "action": "submit",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Preguntas sin respuesta: 2", response.content.decode())
        response = client.post(
            url,
            {
                "name": "Ana",
                "answer-gate-why": "La caseta no tiene guardia de noche",
                "file-gate-log": SimpleUploadedFile("x.exe", b"MZ"),
                "action": "submit",
            },
        )
        self.assertEqual(response.status_code, 400)  # the upload refused, nothing saved
        client.post(
            url,
            {"name": "Ana", "answer-gate-why": "La caseta no tiene guardia", "action": "submit"},
        )
        questionnaire.refresh_from_db()
        self.assertEqual(questionnaire.status, Status.SUBMITTED)
        self.assertEqual(questionnaire.score, Decimal("50.0"))

    def test_member_page_shows_the_version_and_weights(self) -> None:
        questionnaire, _token = self.sent()
        self.login("viewer")
        page = self.client.get(questionnaire.get_absolute_url()).content.decode()
        self.assertIn("Gate security", page)
        self.assertIn("version 1", page)


class BuilderPageTests(BuilderTestCase):
    def test_member_builds_a_set_on_the_pages(self) -> None:
        self.login("user")
        sets = reverse("questionnaires:set-list", args=[self.company.pk])
        response = self.client.post(
            reverse("questionnaires:set-create", args=[self.company.pk]),
            {"key": "mine", "title_en": "Mine", "title_es": "Mío"},
        )
        question_set = MemberQuestionSet.objects.get(key="mine")
        self.assertRedirects(response, question_set.get_absolute_url())
        add = reverse("questionnaires:question-add", args=[self.company.pk, question_set.pk])
        self.client.post(
            add,
            {
                "id": "cctv",
                "type": "yes_no",
                "en": "CCTV?",
                "es": "¿CCTV?",
                "weight": 2,
                "criterion": "9.10",
                "required": "on",
            },
        )
        response = self.client.post(
            add,
            {
                "id": "cctv-why",
                "type": "text",
                "en": "Why not?",
                "es": "¿Por qué no?",
                "weight": 0,
                "show_if_question": "cctv",
                "show_if_answers": "si",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response,
            "show_if.answers must list answers of &quot;cctv&quot; (no, yes)",
            status_code=400,
        )
        response = self.client.post(
            add,
            {
                "id": "kind",
                "type": "single",
                "en": "Kind?",
                "es": "¿Tipo?",
                "weight": 1,
                "choices": "a | 1 | A | A\nb | lots | B | B",
            },
        )
        self.assertContains(response, "Line 2: the score must be a number", status_code=400)
        self.client.post(
            reverse("questionnaires:set-publish", args=[self.company.pk, question_set.pk])
        )
        self.assertEqual(question_set.versions.get().content["question"][0]["id"], "cctv")
        export = self.client.get(
            reverse("questionnaires:set-export", args=[self.company.pk, question_set.pk, "yaml"])
        )
        self.assertIn(b"id: cctv", export.content)
        self.assertEqual(self.client.get(sets).status_code, 200)

    def test_bad_import_names_the_problem_and_writes_nothing(self) -> None:
        self.login("user")
        response = self.client.post(
            reverse("questionnaires:set-import", args=[self.company.pk]),
            {"file": SimpleUploadedFile("gates.yaml", b"template: {x: 1}\nquestion: 3\n")},
        )
        self.assertContains(response, "template x: must be a table", status_code=400)
        self.assertFalse(MemberQuestionSet.objects.exists())

    def test_viewers_cannot_change_and_other_companies_see_nothing(self) -> None:
        question_set = self.imported()
        self.login("viewer")
        publish = reverse("questionnaires:set-publish", args=[self.company.pk, question_set.pk])
        self.assertEqual(self.client.post(publish).status_code, 404)
        self.login("other")
        self.assertEqual(self.client.get(question_set.get_absolute_url()).status_code, 404)

    def test_list_page_query_count_does_not_grow_with_sets(self) -> None:
        self.imported()
        self.login("viewer")
        url = reverse("questionnaires:set-list", args=[self.company.pk])
        self.client.get(url)
        one = self._queries(url)
        for n in range(5):
            workflow.publish(
                workflow.import_set(
                    self.company.pk, GATES_TOML.replace("gates]", f"g{n}]"), "toml"
                )[0]
            )
        self.assertEqual(self._queries(url), one)

    def _queries(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)


class ApiTests(BuilderTestCase):
    def test_import_publish_and_read_through_the_api(self) -> None:
        api = self.api_as("user")
        response = api.post(
            reverse("api:question-set-list"),
            {"company": self.company.pk, "format": "toml", "text": GATES_TOML},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        response = api.post(reverse("api:question-set-publish", args=[pk]))
        self.assertEqual(response.json()["number"], 1)
        self.assertEqual(api.post(reverse("api:question-set-publish", args=[pk])).status_code, 409)
        bad = api.post(
            reverse("api:question-set-list"),
            {"company": self.company.pk, "format": "yaml", "text": "- [unclosed"},
            format="json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(bad.json()["code"], "question_set_invalid")
        other: Any = self.api_as("other")
        self.assertEqual(other.get(reverse("api:question-set-detail", args=[pk])).status_code, 404)
