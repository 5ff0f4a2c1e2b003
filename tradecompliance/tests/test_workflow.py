"""CTPAT Trade Compliance steps: eligibility, the questionnaire, forced-labor evidence, the
officer's signature, the program office's decision, benefits and Annual Notification
Letters. Each refusal leaves nothing written."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification.choices import State
from certification.models import Certification
from certification.tests.factories import certification_in
from core.refusals import Invalid, NotAnOfficer, NotFound
from notices.models import Notice
from portal.testing import PersonaTestCase, make_company
from tradecompliance import eligibility, workflow
from tradecompliance.catalogue import program
from tradecompliance.models import (
    AnnualNotification,
    ForcedLaborEvidence,
    GrantedBenefit,
    Status,
    TradeComplianceApplication,
    anniversary,
)
from tradecompliance.tests.factories import all_yes, complete, eligible, pdf, signing, submitted


class EligibilityTests(PersonaTestCase):
    """Trade Compliance is for a U.S. importer that is a tier 2 or tier 3 CTPAT partner in
    good standing. Source: domain §5.4 (CBP, CTPAT Trade Compliance FAQs and handbook)."""

    def verdict(
        self, business_type: str, state: str | None, tier: int | None = None
    ) -> eligibility.Verdict:
        company = make_company(f"{business_type} {state} {tier}", business_type=business_type)
        if state is not None:
            fields = {"tier": tier} if tier is not None else {}
            certification_in(state, company, **fields)
        return eligibility.check(company)

    def test_the_table(self) -> None:
        table = [
            ("importer", State.VALIDATED, 2, True, ""),
            ("importer", State.VALIDATED, 3, True, ""),
            ("importer", State.CERTIFIED, None, False, "not validated yet"),
            ("importer", State.SUSPENDED, None, False, "suspended"),
            ("importer", State.UNDER_REVIEW, None, False, "Under review"),
            ("importer", None, None, False, "Draft"),
            ("exporter", State.VALIDATED, 2, False, "importers only"),
            ("highway_carrier", State.VALIDATED, 3, False, "importers only"),
        ]
        for business_type, state, tier, ok, says in table:
            with self.subTest(business_type=business_type, state=state, tier=tier):
                verdict = self.verdict(business_type, state, tier)
                self.assertEqual(verdict.eligible, ok, verdict.reasons)
                if says:
                    self.assertIn(says, " ".join(verdict.reasons))
                else:
                    self.assertEqual(verdict.reasons, [])

    def test_an_ineligible_company_cannot_start_and_is_told_why(self) -> None:
        certification_in(State.CERTIFIED, self.company)
        with self.assertRaises(workflow.NotEligible) as caught:
            workflow.save_answers(self.company, all_yes(), by=self.users["user"])
        self.assertIn("tier 2 or 3", str(caught.exception))
        self.assertFalse(TradeComplianceApplication.objects.exists())


class ApplicationTests(PersonaTestCase):
    def setUp(self) -> None:
        eligible(self.company)
        self.officer = self.users["officer"]
        self.specialist = self.users["specialist"]

    def test_from_questionnaire_to_approval_with_benefits(self) -> None:
        application = submitted(self.company, self.officer)
        self.assertEqual(application.status, Status.SUBMITTED)
        self.assertEqual(application.signer, self.officer)
        self.assertEqual(application.statement_sha256, workflow.statement("en")[1])
        self.assertEqual(application.signed_ip, "127.0.0.1")
        self.assertEqual(workflow.next_letter(self.company), None, "no letter before approval")

        workflow.start_review(application, by=self.specialist)
        approved = workflow.approve(application, by=self.specialist, note="Welcome.")
        self.assertEqual(approved.status, Status.APPROVED)
        today = timezone.localdate()
        self.assertEqual(approved.approved_on, today)
        benefits = set(
            GrantedBenefit.objects.filter(company=self.company).values_list("benefit", flat=True)
        )
        self.assertEqual(benefits, {b.key for b in program().benefits})
        self.assertIn("forced_labor_admissibility_review", benefits)
        self.assertEqual(workflow.next_letter(self.company), (1, anniversary(today, 1)))
        told = Notice.objects.filter(kind="trade_compliance_approved")
        self.assertEqual(
            sorted(n.user.email for n in told), ["admin@acme.test", "officer@acme.test"]
        )
        self.assertEqual({n.url for n in told}, {approved.get_absolute_url()})

    def test_the_questionnaire_answers_are_kept_across_saves(self) -> None:
        workflow.save_answers(self.company, {"authority": "yes"}, by=self.officer)
        workflow.save_answers(
            self.company,
            {"continuous_bond": {"answer": "no", "explanation": "Single-entry bonds"}},
            by=self.officer,
        )
        application = workflow.open_application(self.company)
        assert application is not None
        self.assertEqual(application.answers["authority"]["answer"], "yes")
        self.assertEqual(
            application.answers["continuous_bond"]["explanation"], "Single-entry bonds"
        )

    def test_a_bad_answer_names_the_question_and_the_fix(self) -> None:
        for answers, says in (
            ({"authority": "maybe"}, "authority: “maybe” is not an answer; send “yes” or “no”."),
            ({"made_up": "yes"}, "“made_up” is not a question"),
            ({"authority": 3}, "authority: send “yes” or “no”."),
        ):
            with self.subTest(answers=answers), self.assertRaises(Invalid) as caught:
                workflow.save_answers(self.company, answers, by=self.officer)
            self.assertIn(says, str(caught.exception))
        self.assertFalse(
            TradeComplianceApplication.objects.filter(answers__has_key="authority").exists()
        )

    def test_signing_lists_every_missing_answer_and_requirement_and_writes_nothing(self) -> None:
        workflow.save_answers(self.company, {**all_yes(), "disclosures": "no"}, by=self.officer)
        with self.assertRaises(workflow.Incomplete) as caught:
            workflow.sign_and_submit(self.company, self.officer, signing())
        message = str(caught.exception)
        self.assertIn("Explain the “No”", message)
        for requirement in program().requirements:
            self.assertIn(requirement.title_en, message)
        application = workflow.open_application(self.company)
        assert application is not None
        self.assertEqual(application.status, Status.DRAFT)
        self.assertIsNone(application.signed_at)

    def test_a_no_with_an_explanation_can_be_signed(self) -> None:
        complete(self.company, self.officer)
        workflow.save_answers(
            self.company,
            {"disclosures": {"answer": "no", "explanation": "No disclosure was needed yet."}},
            by=self.officer,
        )
        application = workflow.sign_and_submit(self.company, self.officer, signing())
        self.assertEqual(application.status, Status.SUBMITTED)

    def test_only_the_officer_signs_the_shown_text(self) -> None:
        complete(self.company, self.officer)
        with self.assertRaises(NotAnOfficer):
            workflow.sign_and_submit(self.company, self.users["admin"], signing())
        with self.assertRaises(Invalid) as caught:
            workflow.sign_and_submit(self.company, self.officer, signing(shown_sha256="0" * 64))
        self.assertEqual(caught.exception.code, "statement_mismatch")
        spanish = workflow.sign_and_submit(self.company, self.officer, signing("es"))
        self.assertEqual(spanish.statement_language, "es")
        self.assertNotEqual(workflow.statement("es")[1], workflow.statement("en")[1])

    def test_a_second_signature_is_refused(self) -> None:
        submitted(self.company, self.officer)
        with self.assertRaises(workflow.WrongState):
            workflow.sign_and_submit(self.company, self.officer, signing())

    def test_only_the_program_office_decides_and_in_order(self) -> None:
        application = submitted(self.company, self.officer)
        with self.assertRaises(NotFound):
            workflow.approve(application, by=self.officer)
        with self.assertRaises(workflow.WrongState):
            workflow.approve(application, by=self.specialist)  # not under review yet
        workflow.start_review(application, by=self.specialist)
        with self.assertRaises(workflow.WrongState):
            workflow.start_review(application, by=self.specialist)
        application.refresh_from_db()
        self.assertEqual(application.reviewer, self.specialist)

    def test_a_suspension_after_signing_blocks_the_approval(self) -> None:
        application = submitted(self.company, self.officer)
        workflow.start_review(application, by=self.specialist)
        Certification.objects.filter(company=self.company).update(status=State.SUSPENDED, tier=None)
        with self.assertRaises(workflow.NotEligible) as caught:
            workflow.approve(application, by=self.specialist)
        self.assertIn("suspended", str(caught.exception))
        application.refresh_from_db()
        self.assertEqual(application.status, Status.UNDER_REVIEW)
        self.assertFalse(GrantedBenefit.objects.exists())

    def test_a_refusal_says_why_and_the_company_may_apply_again(self) -> None:
        application = submitted(self.company, self.officer)
        with self.assertRaises(Invalid):
            workflow.refuse(application, by=self.specialist, reason="  ")
        refused = workflow.refuse(application, by=self.specialist, reason="No audit trail.")
        self.assertEqual(
            (refused.status, refused.decision_note), (Status.REFUSED, "No audit trail.")
        )
        (notice,) = Notice.objects.filter(kind="trade_compliance_refused", user=self.officer)
        self.assertIn("No audit trail.", notice.body)
        again = workflow.start(self.company)
        self.assertNotEqual(again.pk, refused.pk)
        self.assertTrue(again.is_draft)


class EvidenceTests(PersonaTestCase):
    def test_a_file_is_checked_by_content_and_a_requirement_must_exist(self) -> None:
        by = self.users["user"]
        evidence = workflow.attach_evidence(
            self.company, "code_of_conduct", pdf("code.pdf"), by=by, note="Published"
        )
        self.assertEqual(
            (evidence.requirement, evidence.content_type), ("code_of_conduct", "application/pdf")
        )
        fake = SimpleUploadedFile(
            "map.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        )
        with self.assertRaises(ValidationError):
            workflow.attach_evidence(self.company, "risk_mapping", fake, by=by)
        with self.assertRaises(Invalid):
            workflow.attach_evidence(self.company, "no_such", pdf(), by=by)
        self.assertEqual(ForcedLaborEvidence.objects.count(), 1)


class AnnualNotificationTests(PersonaTestCase):
    def setUp(self) -> None:
        eligible(self.company)
        self.officer = self.users["officer"]
        application = submitted(self.company, self.officer)
        workflow.start_review(application, by=self.users["specialist"])
        self.application = workflow.approve(application, by=self.users["specialist"])

    def letter(self, **changes: object) -> workflow.Letter:
        values: dict[str, object] = {
            "still_meets_requirements": True,
            "self_testing": "Tested classification.",
            "organisational_changes": "",
            "contact_changes": "",
            "full_name": "Dana Price",
            "title": "COO",
        }
        values.update(changes)
        return workflow.Letter(**values)  # type: ignore[arg-type]

    def test_each_year_has_one_letter_due_on_the_anniversary(self) -> None:
        first = workflow.submit_annual_notification(self.company, self.letter(), by=self.officer)
        second = workflow.submit_annual_notification(
            self.company, self.letter(), by=self.users["admin"]
        )
        approved = self.application.approved_on
        assert approved is not None
        self.assertEqual((first.cycle, first.due_on), (1, anniversary(approved, 1)))
        self.assertEqual((second.cycle, second.due_on), (2, anniversary(approved, 2)))
        self.assertEqual(workflow.next_letter(self.company), (3, anniversary(approved, 3)))

    def test_refusals(self) -> None:
        with self.assertRaises(Invalid):
            workflow.submit_annual_notification(
                self.company, self.letter(still_meets_requirements=False), by=self.officer
            )
        with self.assertRaises(Invalid):
            workflow.submit_annual_notification(
                self.company, self.letter(self_testing=" "), by=self.officer
            )
        with self.assertRaises(NotFound):
            workflow.submit_annual_notification(self.company, self.letter(), by=self.users["user"])
        other = self.other_company
        with self.assertRaises(workflow.WrongState):
            workflow.submit_annual_notification(other, self.letter(), by=self.users["other"])
        self.assertFalse(AnnualNotification.objects.exists())

    def test_the_29th_of_february_falls_on_the_28th(self) -> None:
        self.assertEqual(anniversary(datetime.date(2024, 2, 29), 1), datetime.date(2025, 2, 28))
