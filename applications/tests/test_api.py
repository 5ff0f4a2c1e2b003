"""The application API: list, detail, starting a draft and the officer's signature."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import AgreementSignature, Application, ApplicationEvent, current_agreement
from applications.tests.factories import complete_company, current_code, eligibility
from portal.testing import PersonaTestCase


class ApplicationApiTests(PersonaTestCase):
    def setUp(self) -> None:
        complete_company(self.company)
        self.application = Application.start(self.company)
        self.sign_url = reverse("api:application-sign", args=[self.application.pk])
        self.officer = self.users["officer"]
        self.patch = eligibility(True)
        self.patch.__enter__()
        self.addCleanup(self.patch.__exit__, None, None, None)

    def payload(self, **changes: Any) -> dict[str, Any]:
        agreement = current_agreement("en")
        data = {
            "full_name": "Dana Price",
            "title": "Chief Operating Officer",
            "attest": True,
            "agreement_version": agreement.version,
            "language": agreement.language,
            "agreement_sha256": agreement.sha256,
            "otp_code": current_code(self.officer),
        }
        data.update(changes)
        return data

    def sign(self, **changes: Any) -> Any:
        self.login("officer")
        return self.client.post(
            self.sign_url,
            json.dumps(self.payload(**changes)),
            content_type="application/json",
            REMOTE_ADDR="198.51.100.20",
        )

    def test_the_list_holds_only_my_companies_applications(self) -> None:
        other = Application.start(self.other_company)
        self.login("admin")
        ids = [
            row["id"] for row in self.client.get(reverse("api:application-list")).json()["results"]
        ]
        self.assertEqual(ids, [self.application.pk])
        self.login("specialist")
        ids = [
            row["id"] for row in self.client.get(reverse("api:application-list")).json()["results"]
        ]
        self.assertCountEqual(ids, [self.application.pk, other.pk])

    def test_the_detail_has_the_checklist_and_the_text_to_sign(self) -> None:
        self.login("viewer")
        with eligibility(None):
            body = self.client.get(
                reverse("api:application-detail", args=[self.application.pk])
            ).json()
        self.assertFalse(body["complete"])
        self.assertEqual([i["key"] for i in body["checklist"] if not i["done"]], ["eligibility"])
        self.assertEqual(body["agreement"]["sha256"], current_agreement("en").sha256)
        self.assertIsNone(body["signature"])
        self.assertEqual(body["events"], [])

    def test_the_text_can_be_read_in_spanish(self) -> None:
        self.login("viewer")
        url = reverse("api:application-detail", args=[self.application.pk])
        body = self.client.get(url, {"language": "es"}).json()
        self.assertEqual(body["agreement"]["language"], "es")
        self.assertIn("Acuerdo", body["agreement"]["text"])

    def test_the_officer_signs_with_a_code_from_the_authenticator(self) -> None:
        response = self.sign()
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["status"], "submitted")
        self.assertEqual(body["signature"]["full_name"], "Dana Price")
        self.assertEqual(body["signature"]["ip_address"], "198.51.100.20")
        self.assertEqual(body["signature"]["text_sha256"], current_agreement("en").sha256)
        self.assertEqual([e["event"] for e in body["events"]], ["submit"])
        self.assertEqual(body["snapshot"]["legal_name"], "Acme Imports LLC")

    def test_a_wrong_code_is_refused(self) -> None:
        wrong = str((int(current_code(self.officer)) + 1) % 1_000_000).zfill(6)
        response = self.sign(otp_code=wrong)
        self.assertEqual(response.status_code, 400)
        self.assertIn("otp_code", response.json())
        self.assertFalse(AgreementSignature.objects.exists())

    def test_a_used_code_cannot_be_replayed(self) -> None:
        code = current_code(self.officer)
        self.login("officer")
        self.client.post(reverse("mfa_reauthenticate"), {"code": code})
        response = self.sign(otp_code=code)
        self.assertEqual(response.status_code, 400)
        self.assertIn("otp_code", response.json())

    def test_an_incomplete_application_answers_400_naming_what_is_missing(self) -> None:
        with eligibility(None):
            response = self.sign()
        self.assertEqual(response.status_code, 400)
        self.assertEqual([i["key"] for i in response.json()["missing"]], ["eligibility"])
        self.assertEqual(Application.objects.get(pk=self.application.pk).status, "draft")

    def test_signing_twice_answers_409_and_keeps_one_signature(self) -> None:
        self.assertEqual(self.sign().status_code, 200)
        self.assertEqual(self.sign(otp_code=current_code(self.officer, offset=1)).status_code, 409)
        self.assertEqual(AgreementSignature.objects.count(), 1)
        self.assertEqual(ApplicationEvent.objects.count(), 1)

    def test_bad_input_names_the_field(self) -> None:
        response = self.sign(attest=False, agreement_sha256="xyz")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"attest", "agreement_sha256"})

    def test_a_stale_text_is_refused(self) -> None:
        response = self.sign(agreement_sha256="0" * 64)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["code"], "agreement_mismatch")
        self.assertIn("changed after it was shown", response.json()["detail"])

    def test_other_roles_get_404(self) -> None:
        for persona in ("admin", "consultant", "user", "specialist", "other"):
            with self.subTest(persona=persona):
                self.login(persona)
                response = self.client.post(
                    self.sign_url, json.dumps(self.payload()), content_type="application/json"
                )
                self.assertEqual(response.status_code, 404)
        self.assertFalse(AgreementSignature.objects.exists())

    def test_starting_a_draft_is_idempotent(self) -> None:
        self.login("admin")
        url = reverse("api:application-list")
        fresh = self.third_company
        self.login("consultant")
        first = self.client.post(url, {"company": fresh.pk}, content_type="application/json")
        again = self.client.post(url, {"company": fresh.pk}, content_type="application/json")
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertEqual(first.json()["id"], again.json()["id"])

    def test_starting_a_draft_for_another_company_is_404(self) -> None:
        self.login("admin")
        response = self.client.post(
            reverse("api:application-list"),
            {"company": self.other_company.pk},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 404)
        response = self.client.post(
            reverse("api:application-list"), {"company": "acme"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("company", response.json())

    def test_the_list_costs_the_same_queries_however_long_it_is(self) -> None:
        self.login("specialist")
        url = reverse("api:application-list")
        self.client.get(url)  # the session's first request remembers the MFA check
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for company in (self.other_company, self.third_company):
            Application.start(company)
        with CaptureQueriesContext(connection) as three:
            self.assertEqual(self.client.get(url).json()["count"], 3)
        self.assertEqual(len(one), len(three))
