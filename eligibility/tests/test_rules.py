"""Table tests of the eligibility rules, business type by business type."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.utils import translation

from companies.choices import SUBTYPES, BusinessType
from eligibility.models import EligibilityCheck
from eligibility.questions import CONCERN, DISQUALIFIES, NO, YES, clean_answers, evaluate
from eligibility.tests.factories import DefaultLanguage
from eligibility.workflow import applicable_questions

COMMON = {
    "international_cargo_history",
    "security_officer_named",
    "officer_signs_agreement",
    "no_unpaid_cbp_debt",
    "no_security_events",
}
MEXICAN = {"mexico_acta_constitutiva", "mexico_rfc"}

# (business type, sub-type, country) → the questions asked beyond the common ones.
EXPECTED: dict[tuple[str, str, str], set[str]] = {
    ("importer", "", "US"): {
        "importer_active_ior",
        "importer_continuous_bond",
        "importer_staffed_office",
    },
    ("importer", "", "MX"): {
        "importer_active_ior",
        "importer_continuous_bond",
        "importer_staffed_office",
    },
    ("exporter", "", "US"): {
        "exporter_principal_party",
        "exporter_active",
        "exporter_staffed_office",
        "exporter_security_program",
        "exporter_reporting_compliance",
        "exporter_good_standing",
    },
    ("foreign_manufacturer", "", "MX"): {
        "manufacturer_active",
        "manufacturer_mid",
        *MEXICAN,
    },
    ("foreign_manufacturer", "", "CA"): {
        "manufacturer_active",
        "manufacturer_mid",
        "manufacturer_incorporation_certificate",
    },
    ("foreign_manufacturer", "", "CN"): {
        "manufacturer_active",
        "manufacturer_mid",
        "manufacturer_incorporation_certificate",
        "manufacturer_cbp_invitation",
    },
    ("highway_carrier", "us_mexico", "MX"): {
        "highway_active_cross_border",
        "highway_scac_usdot",
        "highway_staffed_office",
        *MEXICAN,
    },
    ("highway_carrier", "us_mexico", "US"): {
        "highway_active_cross_border",
        "highway_scac_usdot",
        "highway_staffed_office",
    },
    ("highway_carrier", "us_canada", "CA"): {
        "highway_active_cross_border",
        "highway_scac_usdot",
        "highway_staffed_office",
        "highway_also_crosses_mexico",
    },
    # A Mexican long-haul carrier is Mexican whatever country was entered.
    ("mexico_long_haul_carrier", "", "MX"): {"long_haul_active", "long_haul_sct", *MEXICAN},
    ("mexico_long_haul_carrier", "", "US"): {"long_haul_active", "long_haul_sct", *MEXICAN},
    ("air_carrier", "", "US"): {"air_active", "air_iata_code", "air_carrier_bond"},
    ("sea_carrier", "", "US"): {
        "sea_active",
        "sea_isps_vessels",
        "sea_scac",
        "sea_carrier_bond",
        "sea_staffed_office",
        "sea_fmc_vocc",
        "sea_us_port_representation",
    },
    ("rail_carrier", "", "CA"): {
        "rail_active",
        "rail_scac",
        "rail_carrier_bond",
        "rail_staffed_office",
    },
    ("rail_carrier", "", "MX"): {
        "rail_active",
        "rail_scac",
        "rail_carrier_bond",
        "rail_staffed_office",
        *MEXICAN,
    },
    ("consolidator", "air_freight_consolidator", "US"): {
        "consolidator_active",
        "consolidator_bond",
        "consolidator_iata_number",
        "consolidator_staffed_office",
    },
    ("consolidator", "oti", "US"): {
        "consolidator_active",
        "consolidator_bond",
        "consolidator_fmc_number",
        "consolidator_staffed_office",
    },
    ("consolidator", "nvocc", "US"): {
        "consolidator_active",
        "consolidator_bond",
        "consolidator_fmc_number",
        "consolidator_staffed_office",
    },
    ("customs_broker", "", "US"): {
        "broker_licensed_active",
        "broker_license_filer_code",
        "broker_staffed_office",
    },
    ("marine_port_terminal", "mpto_us", "US"): {
        "port_us_active",
        "port_us_staffed_office",
        "port_fmc_mto_number",
    },
    ("marine_port_terminal", "mpto_foreign", "PA"): {
        "port_foreign_active",
        "port_foreign_invitation",
        "port_fmc_mto_number",
    },
    ("third_party_logistics", "", "US"): {
        "logistics_handles_cargo",
        "logistics_own_assets",
        "logistics_double_brokering",
        "logistics_staffed_office",
        "logistics_international",
        "logistics_licensed_bonded",
    },
}


def _all_met(profile: tuple[str, str, str]) -> dict[str, str]:
    return {q.id: q.qualifying_answer for q in applicable_questions(*profile)}


def _flip(answer: str) -> str:
    return NO if answer == YES else YES


class QuestionsPerBusinessTypeTests(DefaultLanguage, SimpleTestCase):
    def test_the_table_covers_every_business_type_and_sub_type(self) -> None:
        self.assertEqual({t for t, _s, _c in EXPECTED}, set(BusinessType.values))
        covered_subtypes = {s for _t, s, _c in EXPECTED if s}
        self.assertEqual(covered_subtypes, {s for subs in SUBTYPES.values() for s in subs})

    def test_each_type_is_asked_the_common_and_only_its_own_questions(self) -> None:
        for profile, own in EXPECTED.items():
            with self.subTest(profile=profile):
                asked = {q.id for q in applicable_questions(*profile)}
                self.assertEqual(asked, COMMON | own)

    def test_mexican_only_questions_appear_only_for_mexican_companies(self) -> None:
        for profile in EXPECTED:
            business_type, _subtype, country = profile
            mexican = country == "MX" or business_type == "mexico_long_haul_carrier"
            asks_them = bool(MEXICAN & {q.id for q in applicable_questions(*profile)})
            with self.subTest(profile=profile):
                self.assertEqual(
                    asks_them,
                    mexican and business_type != "importer",
                )


class VerdictTests(DefaultLanguage, SimpleTestCase):
    def test_all_good_answers_qualify_for_every_type(self) -> None:
        for profile in EXPECTED:
            questions = applicable_questions(*profile)
            with self.subTest(profile=profile):
                outcome = evaluate(questions, _all_met(profile))
                self.assertTrue(outcome.qualifies)
                self.assertEqual(outcome.concern_ids, [])

    def test_each_disqualifying_answer_is_named_with_why_and_remedy(self) -> None:
        for profile in EXPECTED:
            questions = applicable_questions(*profile)
            for question in (q for q in questions if q.severity == DISQUALIFIES):
                answers = _all_met(profile)
                answers[question.id] = _flip(answers[question.id])
                outcome = evaluate(questions, answers)
                check = EligibilityCheck(answers=answers, disqualified_ids=outcome.disqualified_ids)
                with self.subTest(profile=profile, question=question.id):
                    self.assertFalse(outcome.qualifies)
                    self.assertEqual(outcome.disqualified_ids, [question.id])
                    (reason,) = check.disqualifying_reasons()
                    self.assertEqual(reason.question, question.localized("text", "en"))
                    self.assertEqual(reason.answer, answers[question.id])
                    self.assertEqual(reason.remedy, question.localized("remedy", "en"))
                    self.assertTrue(reason.why)

    def test_concerns_are_listed_but_do_not_disqualify(self) -> None:
        for profile in EXPECTED:
            questions = applicable_questions(*profile)
            concerns = [q for q in questions if q.severity == CONCERN]
            answers = _all_met(profile)
            for question in concerns:
                answers[question.id] = _flip(answers[question.id])
            outcome = evaluate(questions, answers)
            with self.subTest(profile=profile):
                self.assertTrue(outcome.qualifies)
                self.assertEqual(outcome.concern_ids, [q.id for q in concerns])
                self.assertIn("no_security_events", outcome.concern_ids)

    def test_several_failures_are_all_named_in_question_order(self) -> None:
        profile = ("importer", "", "US")
        answers = _all_met(profile) | {
            "importer_staffed_office": NO,
            "no_unpaid_cbp_debt": YES,
            "no_security_events": YES,
        }
        outcome = evaluate(applicable_questions(*profile), answers)
        self.assertEqual(
            outcome.disqualified_ids, ["no_unpaid_cbp_debt", "importer_staffed_office"]
        )
        self.assertEqual(outcome.concern_ids, ["no_security_events"])

    def test_reasons_follow_the_active_language(self) -> None:
        check = EligibilityCheck(
            answers={"no_unpaid_cbp_debt": YES}, disqualified_ids=["no_unpaid_cbp_debt"]
        )
        with translation.override("es"):
            (reason,) = check.disqualifying_reasons()
        self.assertIn("deuda", reason.question)
        self.assertIn("Pague la deuda", reason.remedy)

    def test_a_question_removed_from_the_file_is_still_shown_by_its_id(self) -> None:
        check = EligibilityCheck(answers={"retired": NO}, disqualified_ids=["retired"])
        (reason,) = check.disqualifying_reasons()
        self.assertEqual((reason.id, reason.question, reason.remedy), ("retired", "retired", ""))


class CorrectedRulesTests(DefaultLanguage, SimpleTestCase):
    """Rules corrected against CBP's eligibility pages (docs/domain-sources.md)."""

    def asked(self, *profile: str) -> dict[str, str]:
        return {q.id: q.localized("text", "en") for q in applicable_questions(*profile)}

    def test_a_mexican_rail_carrier_supplies_the_acta_constitutiva_and_the_rfc(self) -> None:
        """Source: CBP, "Rail Carriers" eligibility requirements; CBP asks every Mexican-based
        carrier and manufacturer for the Acta Constitutiva and the RFC (CBP, "Highway Carriers"
        and "Foreign Manufacturers" pages). A Canadian rail carrier is not asked."""
        self.assertLessEqual(MEXICAN, set(self.asked("rail_carrier", "", "MX")))
        self.assertFalse(MEXICAN & set(self.asked("rail_carrier", "", "CA")))

    def test_a_sea_carrier_needs_an_fmc_vocc_number_a_us_office_and_port_representation(
        self,
    ) -> None:
        """Source: CBP, "Sea Carriers" eligibility requirements: an active FMC VOCC number, a
        business office staffed in the U.S., a continuous international carrier bond, and
        company representation at all U.S. seaports where the carrier operates."""
        asked = self.asked("sea_carrier", "", "GB")
        self.assertIn("FMC", asked["sea_fmc_vocc"])
        self.assertIn("VOCC", asked["sea_fmc_vocc"])
        self.assertIn("every U.S. seaport", asked["sea_us_port_representation"])
        self.assertIn("in the United States?", asked["sea_staffed_office"])
        self.assertNotIn("Canada", asked["sea_staffed_office"])
        self.assertIn("continuous international carrier bond", asked["sea_carrier_bond"])

    def test_a_consolidator_bond_is_a_carrier_bond_or_a_type_2_custodial_bond(self) -> None:
        """Source: CBP, "Air Freight Consolidators, Ocean Transport Intermediaries, and NVOCC"
        eligibility requirements ("continuous international carrier bond and/or a type 2
        custodial bond"); the 2012 text's IBEC bond is no longer named."""
        for subtype in ("air_freight_consolidator", "oti", "nvocc"):
            text = self.asked("consolidator", subtype, "US")["consolidator_bond"]
            with self.subTest(subtype):
                self.assertIn("type 2 custodial bond", text)
                self.assertNotIn("IBEC", text)
        with translation.override("es"):
            (question,) = [
                q
                for q in applicable_questions("consolidator", "oti", "US")
                if q.id == "consolidator_bond"
            ]
            self.assertIn("custodia tipo 2", question.localized("text", "es"))


class AnswerValidationTests(DefaultLanguage, SimpleTestCase):
    questions = applicable_questions("air_carrier", "", "US")

    def errors(self, answers: object) -> list[str]:
        with self.assertRaises(ValidationError) as caught:
            clean_answers(self.questions, answers)
        return caught.exception.message_dict["answers"]

    def test_it_names_an_unknown_question_and_lists_the_valid_ones(self) -> None:
        answers = _all_met(("air_carrier", "", "US")) | {"importer_continuous_bond": YES}
        (message,) = self.errors(answers)
        self.assertIn("Unknown question id: importer_continuous_bond", message)
        self.assertIn("air_iata_code", message)

    def test_it_names_each_missing_answer(self) -> None:
        answers = _all_met(("air_carrier", "", "US"))
        del answers["air_iata_code"], answers["no_unpaid_cbp_debt"]
        (message,) = self.errors(answers)
        self.assertEqual(message, "Missing answer to: no_unpaid_cbp_debt, air_iata_code.")

    def test_it_refuses_an_answer_other_than_yes_or_no(self) -> None:
        answers = _all_met(("air_carrier", "", "US")) | {"air_active": "maybe"}
        (message,) = self.errors(answers)
        self.assertIn("air_active must be “yes” or “no”, not “maybe”", message)

    def test_it_refuses_answers_that_are_not_an_object(self) -> None:
        (message,) = self.errors(["yes", "no"])
        self.assertIn("Send the answers as an object", message)

    def test_it_accepts_booleans_and_any_case(self) -> None:
        answers: dict[str, object] = {q.id: True for q in self.questions}
        answers["air_active"] = " No "
        cleaned = clean_answers(self.questions, answers)
        self.assertEqual(cleaned["air_active"], NO)
        self.assertEqual(cleaned["air_iata_code"], YES)
