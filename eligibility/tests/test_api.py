"""The eligibility API: questions, running and reading checks, identifier validation."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.urls import reverse

from accounts.tokens import issue_token
from companies.models import Identifier
from eligibility.models import EligibilityCheck
from eligibility.tests.factories import DefaultLanguage, all_met, make_check
from portal.testing import PersonaTestCase


class ApiTestCase(DefaultLanguage, PersonaTestCase):
    def get(self, url: str, persona: str = "user", **headers: Any) -> Any:
        self.login(persona)
        return self.client.get(url, **headers)

    def post(self, url: str, data: Any, persona: str = "user", **headers: Any) -> Any:
        self.login(persona)
        return self.client.post(url, json.dumps(data), content_type="application/json", **headers)


class QuestionListTests(ApiTestCase):
    url = reverse("api:eligibility-question-list")

    def test_it_lists_the_questions_of_the_type_with_reasons_and_remedies(self) -> None:
        body = self.get(self.url + "?business_type=importer&country=US").json()
        ids = [q["id"] for q in body["questions"]]
        self.assertIn("importer_continuous_bond", ids)
        self.assertNotIn("mexico_rfc", ids)
        bond = next(q for q in body["questions"] if q["id"] == "importer_continuous_bond")
        self.assertEqual(bond["qualifying_answer"], "yes")
        self.assertEqual(bond["severity"], "disqualifies")
        self.assertIn("continuous import bond", bond["text"])
        self.assertIn("surety", bond["remedy"])
        self.assertEqual(body["required_identifiers"], [["ior"], ["bond"]])

    def test_mexican_questions_and_identifiers_come_with_country_mx(self) -> None:
        body = self.get(
            self.url + "?business_type=highway_carrier&subtype=us_mexico&country=MX"
        ).json()
        self.assertIn("mexico_rfc", [q["id"] for q in body["questions"]])
        self.assertEqual(body["required_identifiers"], [["scac"], ["usdot"], ["rfc"]])

    def test_the_request_language_picks_the_texts(self) -> None:
        body = self.get(
            self.url + "?business_type=importer&country=US", HTTP_ACCEPT_LANGUAGE="es"
        ).json()
        self.assertEqual(body["language"], "es")
        texts = {q["id"]: q["text"] for q in body["questions"]}
        self.assertTrue(texts["importer_staffed_office"].startswith("¿Su empresa tiene"))

    def test_an_unknown_business_type_is_named_with_the_accepted_ones(self) -> None:
        response = self.get(self.url + "?business_type=trucker&country=US")
        self.assertEqual(response.status_code, 400)
        (message,) = response.json()["business_type"]
        self.assertIn("“trucker” is not a business type", message)
        self.assertIn("highway_carrier", message)

    def test_a_sub_type_of_another_type_is_refused_on_subtype(self) -> None:
        response = self.get(self.url + "?business_type=highway_carrier&subtype=nvocc&country=MX")
        self.assertEqual(response.status_code, 400)
        self.assertIn("U.S./Mexico border", response.json()["subtype"][0])

    def test_missing_parameters_are_named(self) -> None:
        response = self.get(self.url)
        self.assertEqual(set(response.json()), {"business_type", "country"})


class RunCheckTests(ApiTestCase):
    url = reverse("api:eligibility-check-list")

    def test_good_answers_qualify_and_the_check_is_stored(self) -> None:
        response = self.post(self.url, {"company": self.company.pk, "answers": all_met()})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertTrue(body["qualifies"])
        self.assertEqual((body["disqualified"], body["concerns"]), ([], []))
        self.assertEqual(body["created_by"], "user@acme.test")
        self.assertEqual(
            body["identifiers"],
            [{"kinds": ["ior"], "held": False}, {"kinds": ["bond"], "held": False}],
        )
        check = EligibilityCheck.objects.get(pk=body["id"])
        self.assertEqual(check.company, self.company)

    def test_a_disqualifying_answer_comes_back_with_why_and_remedy(self) -> None:
        answers = all_met() | {"importer_continuous_bond": "no", "no_security_events": "yes"}
        body = self.post(self.url, {"company": self.company.pk, "answers": answers}).json()
        self.assertFalse(body["qualifies"])
        (reason,) = body["disqualified"]
        self.assertEqual(reason["id"], "importer_continuous_bond")
        self.assertEqual(reason["answer"], "no")
        self.assertIn("single-transaction bonds do not count", reason["why"])
        self.assertIn("surety", reason["remedy"])
        self.assertEqual([c["id"] for c in body["concerns"]], ["no_security_events"])

    def test_reasons_come_in_the_request_language(self) -> None:
        answers = all_met() | {"importer_staffed_office": "no"}
        body = self.post(
            self.url, {"company": self.company.pk, "answers": answers}, HTTP_ACCEPT_LANGUAGE="es"
        ).json()
        self.assertIn("Abra o designe", body["disqualified"][0]["remedy"])

    def test_another_type_can_be_checked_without_changing_the_company(self) -> None:
        answers = all_met("exporter")
        body = self.post(
            self.url, {"company": self.company.pk, "business_type": "exporter", "answers": answers}
        ).json()
        self.assertEqual(body["business_type"], "exporter")
        self.company.refresh_from_db()
        self.assertEqual(self.company.business_type, "importer")

    def test_an_unknown_question_id_is_named(self) -> None:
        answers = all_met() | {"air_iata_code": "yes"}
        response = self.post(self.url, {"company": self.company.pk, "answers": answers})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Unknown question id: air_iata_code", response.json()["answers"][0])
        self.assertFalse(EligibilityCheck.objects.exists())

    def test_a_missing_answer_is_named(self) -> None:
        answers = all_met()
        del answers["importer_staffed_office"]
        response = self.post(self.url, {"company": self.company.pk, "answers": answers})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["answers"], ["Missing answer to: importer_staffed_office."]
        )

    def test_a_bad_sub_type_is_named(self) -> None:
        response = self.post(
            self.url,
            {"company": self.company.pk, "business_type": "consolidator", "answers": {}},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("business_subtype", response.json())

    def test_a_missing_company_is_named(self) -> None:
        response = self.post(self.url, {"answers": all_met()})
        self.assertEqual(response.status_code, 400)
        self.assertIn("company", response.json())

    def test_a_company_the_user_may_only_view_answers_404(self) -> None:
        response = self.post(
            self.url, {"company": self.company.pk, "answers": all_met()}, persona="viewer"
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(EligibilityCheck.objects.exists())

    def test_another_companys_id_answers_404(self) -> None:
        response = self.post(
            self.url, {"company": self.other_company.pk, "answers": all_met()}, persona="admin"
        )
        self.assertEqual(response.status_code, 404)

    def test_a_retried_post_with_the_same_key_creates_one_check(self) -> None:
        key = str(uuid.uuid4())
        data = {"company": self.company.pk, "answers": all_met()}
        first = self.post(self.url, data, HTTP_IDEMPOTENCY_KEY=key)
        second = self.post(self.url, data, HTTP_IDEMPOTENCY_KEY=key)
        # The retry gets the first answer itself, status included.
        self.assertEqual((first.status_code, second.status_code), (201, 201))
        self.assertEqual(first.json(), second.json())
        self.assertEqual(EligibilityCheck.objects.count(), 1)

    def test_a_malformed_idempotency_key_is_named(self) -> None:
        response = self.post(
            self.url,
            {"company": self.company.pk, "answers": all_met()},
            HTTP_IDEMPOTENCY_KEY="twice",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a UUID", response.json()["Idempotency-Key"][0])

    def test_a_token_works_like_a_session(self) -> None:
        _token, key = issue_token(self.users["consultant"], name="eligibility script")
        self.client.logout()
        response = self.client.post(
            self.url,
            json.dumps({"company": self.company.pk, "answers": all_met()}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
        )
        self.assertEqual(response.status_code, 201)


class ReadCheckTests(ApiTestCase):
    def test_the_list_holds_only_checks_of_my_companies(self) -> None:
        mine = make_check(self.company)
        make_check(self.other_company)
        body = self.get(reverse("api:eligibility-check-list"), persona="viewer").json()
        self.assertEqual([c["id"] for c in body["results"]], [mine.pk])

    def test_the_list_filters_by_company_for_a_consultant(self) -> None:
        make_check(self.company)
        theirs = make_check(self.third_company)
        url = reverse("api:eligibility-check-list") + f"?company={self.third_company.pk}"
        body = self.get(url, persona="consultant").json()
        self.assertEqual([c["id"] for c in body["results"]], [theirs.pk])

    def test_the_detail_shows_identifiers_held_now(self) -> None:
        check = make_check(self.company)
        Identifier.objects.create(company=self.company, kind="bond", value="123456789")
        body = self.get(reverse("api:eligibility-check-detail", args=[check.pk])).json()
        self.assertEqual(body["identifiers"][1], {"kinds": ["bond"], "held": True})

    def test_another_companys_check_answers_404(self) -> None:
        theirs = make_check(self.other_company)
        response = self.get(reverse("api:eligibility-check-detail", args=[theirs.pk]))
        self.assertEqual(response.status_code, 404)

    def test_the_list_costs_the_same_queries_for_many_checks(self) -> None:
        for _n in range(3):
            make_check(self.company)
        self.login("user")
        url = reverse("api:eligibility-check-list")
        self.client.get(url)  # warm the session
        # 8: session, user, MFA checks, the user's company ids (API lists filter by them as
        # values, core.tenancy.for_user_listing), the count and the page's rows.
        with self.assertNumQueries(8):
            self.client.get(url)
        for _n in range(5):
            make_check(self.company)
        with self.assertNumQueries(8):
            self.client.get(url)


class IdentifierValidateTests(ApiTestCase):
    url = reverse("api:identifier-validate")

    def test_a_valid_value_comes_back_canonical(self) -> None:
        response = self.post(self.url, {"kind": "rfc", "value": "abc-010203-xy1"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"kind": "rfc", "value": "ABC010203XY1"})

    def test_an_invalid_value_gets_the_message_on_value(self) -> None:
        response = self.post(self.url, {"kind": "scac", "value": "AB1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"value": ["A SCAC is exactly 4 letters; for example ABCD. You entered “AB1”."]},
        )

    def test_an_unknown_kind_lists_the_accepted_ones(self) -> None:
        response = self.post(self.url, {"kind": "vin", "value": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("broker_license", response.json()["kind"][0])

    def test_the_message_follows_the_request_language(self) -> None:
        response = self.post(self.url, {"kind": "ein", "value": "1"}, HTTP_ACCEPT_LANGUAGE="es")
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("An EIN has nine digits", response.json()["value"][0])
