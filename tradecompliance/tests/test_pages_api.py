"""Trade Compliance through its pages and its API: the same workflow writes the same rows
either way; refusals are a message on the page and a status with a code in the API; the
program office's list costs a fixed number of queries; the Spanish pages."""

from __future__ import annotations

import time

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.tests.factories import current_code, reauthenticate_with_mfa
from portal.testing import PersonaTestCase, add_member, make_company, written
from tradecompliance import workflow
from tradecompliance.catalogue import program
from tradecompliance.models import (
    AnnualNotification,
    ForcedLaborEvidence,
    GrantedBenefit,
    Status,
    TradeComplianceApplication,
)
from tradecompliance.tests.factories import all_yes, complete, eligible, in_state, pdf, submitted

TABLES = (TradeComplianceApplication, ForcedLaborEvidence, AnnualNotification, GrantedBenefit)


class MemberPageTests(PersonaTestCase):
    def overview(self) -> str:
        url = reverse("tradecompliance:overview", args=[self.company.pk])
        return self.client.get(url).content.decode()

    def test_an_ineligible_company_reads_why_and_gets_no_questionnaire(self) -> None:
        self.login("officer")
        body = self.overview()
        self.assertIn("not a certified CTPAT security partner", body)
        self.assertNotIn(reverse("tradecompliance:questionnaire", args=[self.company.pk]), body)

    def test_the_questionnaire_page_saves_the_answers_with_explanations(self) -> None:
        eligible(self.company)
        self.login("user")
        url = reverse("tradecompliance:questionnaire", args=[self.company.pk])
        page = self.client.get(url).content.decode()
        for question in program().questions:
            self.assertIn(question.en, page)
            self.assertIn(question.source, page)
        data = {**all_yes(), "disclosures": "no", "disclosures__explanation": "None needed yet"}
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("tradecompliance:overview", args=[self.company.pk]))
        application = TradeComplianceApplication.objects.get(company=self.company)
        self.assertEqual(
            application.answers["disclosures"], {"answer": "no", "explanation": "None needed yet"}
        )
        self.assertIn("Attach evidence for the forced-labor requirement", self.overview())

    def test_evidence_upload_checks_the_file(self) -> None:
        self.login("user")
        url = reverse("tradecompliance:evidence-upload", args=[self.company.pk])
        fake = SimpleUploadedFile(
            "map.pdf", b"MZ\x90\x00 a program", content_type="application/pdf"
        )
        response = self.client.post(url, {"requirement": "risk_mapping", "file": fake})
        self.assertEqual(response.status_code, 200)
        self.assertIn("map.pdf", response.content.decode())
        self.assertFalse(ForcedLaborEvidence.objects.exists())
        response = self.client.post(
            url, {"requirement": "risk_mapping", "file": pdf("map.pdf"), "note": "2026 map"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("map.pdf", self.overview())

    def test_the_officer_confirms_with_the_authenticator_then_signs(self) -> None:
        eligible(self.company)
        officer = self.users["officer"]
        complete(self.company, officer)
        self.login("officer")
        url = reverse("tradecompliance:sign", args=[self.company.pk])
        response = self.client.get(url)
        self.assertRedirects(
            response, f"{reverse('mfa_reauthenticate')}?next={url}", fetch_redirect_response=False
        )
        reauthenticate_with_mfa(self.client, officer)
        page = self.client.get(url).content.decode()
        text, sha = workflow.statement("en")
        self.assertIn(sha, page)
        response = self.client.post(
            url,
            {
                "full_name": "Dana Price",
                "title": "COO",
                "attest": "on",
                "language": "en",
                "statement_sha256": sha,
            },
        )
        self.assertRedirects(response, reverse("tradecompliance:overview", args=[self.company.pk]))
        self.assertEqual(TradeComplianceApplication.objects.get().status, Status.SUBMITTED)
        self.assertIn("Signed by Dana Price, COO", self.overview())

    def test_the_overview_in_spanish(self) -> None:
        eligible(self.company)
        self.login("viewer")
        url = reverse("tradecompliance:overview", args=[self.company.pk])
        body = self.client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        self.assertIn("Cumplimiento Comercial", body)
        self.assertIn("Requisitos sobre trabajo forzoso", body)
        for requirement in program().requirements:
            self.assertIn(requirement.title_es, body)


class OfficePageTests(PersonaTestCase):
    def test_the_list_costs_the_same_queries_for_2_or_6_applications(self) -> None:
        self.login("specialist")
        url = reverse("tradecompliance_office:application-list")

        def count(n: int) -> int:
            for i in range(n):
                in_state(make_company(f"Importer {n}-{i}"), Status.SUBMITTED)
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(url)
            self.assertContains(response, f"Importer {n}-0")
            return len(captured)

        few = count(2)
        many = count(4)
        self.assertEqual(few, many)
        with self.assertNumQueries(few):
            self.client.get(url)

    def test_review_then_approve_records_the_benefits(self) -> None:
        eligible(self.company)
        application = submitted(self.company, self.users["officer"])
        self.login("specialist")
        detail = reverse("tradecompliance_office:application-detail", args=[application.pk])
        self.assertContains(self.client.get(detail), "Start the review")
        self.client.post(
            reverse("tradecompliance_office:application-review", args=[application.pk])
        )
        self.client.post(
            reverse("tradecompliance_office:application-approve", args=[application.pk]),
            {"note": "Welcome"},
        )
        application.refresh_from_db()
        self.assertEqual(application.status, Status.APPROVED)
        self.assertEqual(
            GrantedBenefit.objects.filter(company=self.company).count(), len(program().benefits)
        )
        self.login("officer")
        body = self.client.get(
            reverse("tradecompliance:overview", args=[self.company.pk])
        ).content.decode()
        self.assertIn(
            "Priority admissibility review of shipments detained on forced-labor grounds", body
        )

    def test_a_refused_step_is_a_message_on_the_page(self) -> None:
        eligible(self.company)
        application = submitted(self.company, self.users["officer"])
        self.login("specialist")
        response = self.client.post(
            reverse("tradecompliance_office:application-approve", args=[application.pk]),
            follow=True,
        )
        self.assertContains(
            response, "This step is not possible while the application is “Submitted”."
        )
        response = self.client.post(
            reverse("tradecompliance_office:application-refuse", args=[application.pk]),
            {"reason": ""},
            follow=True,
        )
        self.assertContains(response, "say why the application is refused")
        application.refresh_from_db()
        self.assertEqual(application.status, Status.SUBMITTED)


class ParityTests(PersonaTestCase):
    """Each step through the page and through the API writes the same rows and audit entries."""

    def setUp(self) -> None:
        self.officer = self.users["officer"]
        self.second = make_company("Harbor Goods Inc")
        add_member(self.second, self.officer, "officer")
        for company in (self.company, self.second):
            eligible(company)

    def test_signing(self) -> None:
        complete(self.company, self.officer)
        complete(self.second, self.officer)
        self.login("officer")
        reauthenticate_with_mfa(self.client, self.officer)
        text, sha = workflow.statement("en")
        form = {
            "full_name": "Dana Price",
            "title": "COO",
            "attest": "on",
            "language": "en",
            "statement_sha256": sha,
        }
        with written(*TABLES) as page:
            self.client.post(reverse("tradecompliance:sign", args=[self.company.pk]), form)
        second = TradeComplianceApplication.objects.get(company=self.second)
        # The page's re-check spent this period's code and a used code is never accepted
        # again: the API call comes one period later, with the app's next code.
        with written(*TABLES) as api, time_machine.travel(time.time() + 30):
            answer = self.api_as("officer").post(
                reverse("api:trade-compliance-application-sign", args=[second.pk]),
                {**form, "attest": True, "otp_code": current_code(self.officer)},
                format="json",
            )
            self.assertEqual(answer.status_code, 200, answer.content)
        self.assertTrue(page)
        self.assertEqual(page, api)
        self.assertEqual(answer.json()["status"], "submitted")

    def test_approving(self) -> None:
        first, second = (in_state(c, Status.UNDER_REVIEW) for c in (self.company, self.second))
        self.login("specialist")
        with written(*TABLES) as page:
            self.client.post(reverse("tradecompliance_office:application-approve", args=[first.pk]))
        with written(*TABLES) as api:
            answer = self.api_as("specialist").post(
                reverse("api:trade-compliance-application-approve", args=[second.pk]),
                {},
                format="json",
            )
            self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(page.rows["tradecompliance.GrantedBenefit"], len(program().benefits))
        self.assertEqual(page, api)
        self.assertEqual(len(answer.json()["benefits"]), len(program().benefits))

    def test_the_annual_letter(self) -> None:
        for company in (self.company, self.second):
            in_state(company, Status.APPROVED)
        letter = {
            "still_meets_requirements": True,
            "self_testing": "Tested valuation.",
            "full_name": "Dana Price",
            "title": "COO",
        }
        self.login("officer")
        with written(*TABLES) as page:
            self.client.post(
                reverse("tradecompliance:anl", args=[self.company.pk]),
                {**letter, "still_meets_requirements": "on"},
            )
        with written(*TABLES) as api:
            answer = self.api_as("officer").post(
                reverse("api:trade-compliance-letter-list"),
                {**letter, "company": self.second.pk},
                format="json",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(page.rows["tradecompliance.AnnualNotification"], 1)
        self.assertEqual(page, api)
        self.assertEqual(answer.json()["cycle"], 1)

    def test_evidence(self) -> None:
        self.login("officer")
        with written(*TABLES) as page:
            self.client.post(
                reverse("tradecompliance:evidence-upload", args=[self.company.pk]),
                {"requirement": "remediation_plan", "file": pdf()},
            )
        with written(*TABLES) as api:
            answer = self.api_as("officer").post(
                reverse("api:forced-labor-evidence-list"),
                {"company": self.second.pk, "requirement": "remediation_plan", "file": pdf()},
                format="multipart",
            )
            self.assertEqual(answer.status_code, 201, answer.content)
        self.assertTrue(page)
        self.assertEqual(page, api)
        self.assertTrue(answer.json()["url"])


class ApiRefusalTests(PersonaTestCase):
    def test_refusals_answer_their_status_and_code(self) -> None:
        api = self.api_as("user")
        # Not eligible: 409 with the reasons.
        answer = api.post(
            reverse("api:trade-compliance-application-list"),
            {"company": self.company.pk},
            format="json",
        )
        self.assertEqual(answer.status_code, 409, answer.content)
        self.assertEqual(answer.json()["code"], "not_eligible")
        self.assertIn("tier 2 or 3", answer.json()["detail"])
        eligible(self.company)
        answer = api.post(
            reverse("api:trade-compliance-application-list"),
            {"company": self.company.pk},
            format="json",
        )
        self.assertEqual(answer.status_code, 201, answer.content)
        pk = answer.json()["id"]
        self.assertEqual(
            len(answer.json()["missing"]), len(program().questions) + len(program().requirements)
        )
        answer = api.post(
            reverse("api:trade-compliance-application-answers", args=[pk]),
            {"answers": {"authority": "maybe"}},
            format="json",
        )
        self.assertEqual((answer.status_code, answer.json()["code"]), (400, "invalid"))
        self.assertIn("authority", answer.json()["detail"])
        # A member may not approve its own application: 404.
        answer = self.api_as("officer").post(
            reverse("api:trade-compliance-application-approve", args=[pk]), {}, format="json"
        )
        self.assertEqual(answer.status_code, 404)
        # The program office may not approve a draft: 409.
        answer = self.api_as("specialist").post(
            reverse("api:trade-compliance-application-approve", args=[pk]), {}, format="json"
        )
        self.assertEqual((answer.status_code, answer.json()["code"]), (409, "wrong_state"))

    def test_signing_with_a_stale_statement_is_refused(self) -> None:
        eligible(self.company)
        application = complete(self.company, self.users["officer"])
        answer = self.api_as("officer").post(
            reverse("api:trade-compliance-application-sign", args=[application.pk]),
            {
                "full_name": "Dana Price",
                "title": "COO",
                "attest": True,
                "language": "en",
                "statement_sha256": "0" * 64,
                "otp_code": current_code(self.users["officer"]),
            },
            format="json",
        )
        self.assertEqual((answer.status_code, answer.json()["code"]), (400, "statement_mismatch"))
        application.refresh_from_db()
        self.assertTrue(application.is_draft)
