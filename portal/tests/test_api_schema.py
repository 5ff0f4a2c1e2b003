"""The API schema (`/api/v1/schema/`) says what the endpoints accept and answer, and bad
input to the API gets a JSON 4xx, never a 500 or an HTML page."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from companies.models import Company
from personnel.models import SecurityRole
from portal.testing import PersonaTestCase

METHODS = ("get", "post", "put", "patch", "delete")


class APISchemaTests(TestCase):
    schema: dict[str, Any]

    @classmethod
    def setUpTestData(cls) -> None:
        response = cls.client_class().get(reverse("api:schema"), {"format": "json"})
        assert response.status_code == 200, response.content
        cls.schema = response.json()

    def operations(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [
            (method.upper(), path, operation)
            for path, item in self.schema["paths"].items()
            for method, operation in item.items()
            if method in METHODS
        ]

    def component(self, ref: str) -> dict[str, Any]:
        component: dict[str, Any] = self.schema["components"]["schemas"][ref.split("/")[-1]]
        return component

    def test_every_operation_documents_the_error_answers_it_can_give(self) -> None:
        for method, path, operation in self.operations():
            with self.subTest(f"{method} {path}"):
                codes = set(operation["responses"])
                self.assertIn("401", codes)
                if operation.get("security") != [{}] and "{account_number}" not in path:
                    self.assertIn("403", codes)
                locations = {p["in"] for p in operation.get("parameters", [])}
                if "path" in locations or "requestBody" in operation:
                    self.assertIn("404", codes)
                if "requestBody" in operation or "query" in locations:
                    self.assertIn("400", codes)
                for code in codes - {"200", "201", "204"}:
                    self.assertIn("application/json", operation["responses"][code]["content"])

    def test_business_steps_document_the_conflict_answer(self) -> None:
        for path in (
            "/api/v1/certifications/{id}/transition/",
            "/api/v1/profiles/{id}/submit/",
            "/api/v1/applications/{id}/sign/",
            "/api/v1/validation-reports/{id}/respond/",
        ):
            with self.subTest(path):
                self.assertIn("409", self.schema["paths"][path]["post"]["responses"])

    def test_object_ids_in_paths_are_integers(self) -> None:
        for method, path, operation in self.operations():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id":
                    with self.subTest(f"{method} {path}"):
                        self.assertEqual(parameter["schema"]["type"], "integer")

    def test_certification_steps_require_the_input_they_read(self) -> None:
        paths = self.schema["paths"]
        cases = {
            "/api/v1/certifications/{id}/transition/": "transition",
            "/api/v1/certifications/{id}/respond-to-suspension/": "text",
            "/api/v1/certifications/{id}/appeal/": "grounds",
            "/api/v1/criterion-reviews/{id}/respond/": "text",
            "/api/v1/validation-reports/{id}/respond/": "text",
        }
        for path, field in cases.items():
            with self.subTest(path):
                body = paths[path]["post"]["requestBody"]
                self.assertTrue(body["required"])
                schema = self.component(body["content"]["application/json"]["schema"]["$ref"])
                self.assertIn(field, schema["required"])

    def test_read_only_lists_document_no_create(self) -> None:
        for path in (
            "/api/v1/certifications/",
            "/api/v1/criterion-reviews/",
            "/api/v1/validation-reports/",
        ):
            with self.subTest(path):
                self.assertNotIn("post", self.schema["paths"][path])

    def test_request_bodies_leave_out_read_only_fields(self) -> None:
        request = self.component("CompanyRequest")
        answer = self.component("Company")
        self.assertNotIn("id", request["properties"])
        self.assertNotIn("account_number", request["properties"])
        self.assertIn("my_role", request["properties"])
        self.assertNotIn("my_role", answer["properties"])

    def test_countries_of_origin_are_a_list_of_country_codes(self) -> None:
        field = self.component("CompanyRequest")["properties"]["countries_of_origin"]
        self.assertEqual(field["type"], "array")
        country = self.component(field["items"]["$ref"])
        self.assertIn("MX", country["enum"])
        self.assertNotIn("", country["enum"])

    def test_a_computed_risk_level_not_rated_yet_may_be_blank(self) -> None:
        level = self.component("SupplyChain")["properties"]["risk_level"]
        refs = {option["$ref"].split("/")[-1] for option in level["oneOf"]}
        self.assertEqual(refs, {"LevelEnum", "BlankEnum"})

    def test_client_key_is_a_uuid(self) -> None:
        field = self.component("InspectionWriteRequest")["properties"]["client_key"]
        self.assertEqual(field["format"], "uuid")


class APIBadInputTests(PersonaTestCase):
    def test_an_api_address_that_matches_no_route_answers_json_404(self) -> None:
        self.login("officer")
        for path in ("/api/v1/seals/-1/", "/api/v1/no-such-thing/"):
            with self.subTest(path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json(), {"detail": "Not found."})

    def test_pages_keep_the_html_404(self) -> None:
        self.login("officer")
        response = self.client.get("/companies/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_a_list_filter_given_an_id_past_the_integer_range_is_not_a_server_error(
        self,
    ) -> None:
        role = SecurityRole.objects.create(
            company=self.company, code="guard", name_en="Guard", name_es="Guardia"
        )
        self.login("officer")
        response = self.client.get(
            reverse("api:employee-list"), {"roles": [str(role.pk), "99999999999999999999"]}
        )
        self.assertLess(response.status_code, 500, response.content)

    def test_an_id_past_the_integer_range_matches_nothing(self) -> None:
        self.assertFalse(Company.objects.filter(pk__in=[2**70]).exists())
        self.assertTrue(Company.objects.filter(pk__in=[self.company.pk, -(2**70)]).exists())
