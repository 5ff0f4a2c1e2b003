"""Importing a question set and publishing it, once through the pages and once through the
API, write the same rows and audit entries (both call `questionnaires.workflow.import_set`
and `publish`); an unchanged draft is refused on both sides without writing anything."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.testing import PersonaTestCase, written
from questionnaires.models import MemberQuestionSet, QuestionSetVersion
from questionnaires.tests.test_builder import GATES_TOML

TABLES = (MemberQuestionSet, QuestionSetVersion)
# The page's set and the API's set: the file's key names the set.
ON_PAGE = GATES_TOML.replace("[template.gates]", "[template.gates-page]")
BY_API = GATES_TOML.replace("[template.gates]", "[template.gates-api]")


class QuestionSetParityTests(PersonaTestCase):
    def import_on_page(self, text: str) -> object:
        return self.client.post(
            reverse("questionnaires:set-import", args=[self.company.pk]),
            {"file": SimpleUploadedFile("gates.toml", text.encode())},
        )

    def import_by_api(self, text: str) -> object:
        return self.api_as("user").post(
            reverse("api:question-set-list"),
            {"company": self.company.pk, "format": "toml", "text": text},
            format="json",
        )

    def test_importing_a_new_set_and_a_new_draft_writes_the_same(self) -> None:
        self.login("user")
        with written(*TABLES) as page:
            self.import_on_page(ON_PAGE)
        with written(*TABLES) as api:
            answer = self.import_by_api(BY_API)
            self.assertEqual(answer.status_code, 201, answer.content)  # type: ignore[attr-defined]
        self.assertEqual(page.rows["questionnaires.MemberQuestionSet"], 1)
        self.assertEqual(page, api)

        with written(*TABLES) as page:
            self.import_on_page(ON_PAGE.replace("weight = 3", "weight = 5"))
        with written(*TABLES) as api:
            answer = self.import_by_api(BY_API.replace("weight = 3", "weight = 5"))
            self.assertEqual(answer.status_code, 200, answer.content)  # type: ignore[attr-defined]
        self.assertEqual(page.rows["questionnaires.MemberQuestionSet"], 0)
        self.assertEqual(page, api)
        weights = {s.draft["question"][0]["weight"] for s in MemberQuestionSet.objects.all()}
        self.assertEqual(weights, {5})

    def test_publishing_writes_the_same_and_an_unchanged_draft_is_refused_on_both_sides(
        self,
    ) -> None:
        self.login("user")
        self.import_on_page(ON_PAGE)
        self.import_by_api(BY_API)
        on_page = MemberQuestionSet.objects.get(key="gates-page")
        by_api = MemberQuestionSet.objects.get(key="gates-api")
        page_url = reverse("questionnaires:set-publish", args=[self.company.pk, on_page.pk])
        api_url = reverse("api:question-set-publish", args=[by_api.pk])
        with written(*TABLES) as page:
            self.client.post(page_url)
        with written(*TABLES) as api:
            answer = self.api_as("user").post(api_url)
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["questionnaires.QuestionSetVersion"], 1)
        self.assertEqual(page, api)

        with written(*TABLES) as page:
            shown = self.client.post(page_url, follow=True)
        with written(*TABLES) as api:
            answer = self.api_as("user").post(api_url)
        self.assertContains(shown, "Nothing changed since version 1")
        self.assertEqual(answer.status_code, 409)
        self.assertFalse(page)
        self.assertFalse(api)
