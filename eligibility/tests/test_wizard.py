"""The eligibility wizard as a person uses it: confirm the business, answer, read the result."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse

from companies.models import Company, Identifier
from eligibility.models import EligibilityCheck
from eligibility.tests.factories import DefaultLanguage, all_met, make_check
from portal.testing import PersonaTestCase


class StartPageTests(DefaultLanguage, PersonaTestCase):
    def url(self) -> str:
        return reverse("eligibility:check", args=[self.company.pk])

    def test_an_editor_sees_step_one_prefilled_from_the_company(self) -> None:
        self.login("user")
        response = self.client.get(self.url())
        self.assertContains(response, "Step 1 of 2")
        self.assertEqual(response.context["form"]["business_type"].value(), "importer")
        self.assertEqual(response.context["form"]["country"].value(), "US")

    def test_a_viewer_reads_past_checks_but_gets_no_form(self) -> None:
        make_check(
            self.company,
            self.users["admin"],
            qualifies=False,
            disqualified_ids=["importer_continuous_bond"],
        )
        self.login("viewer")
        response = self.client.get(self.url())
        self.assertIsNone(response.context["form"])
        self.assertContains(response, "does not qualify yet")
        self.assertContains(response, "admin@acme.test")
        self.assertNotContains(response, "Step 1 of 2")

    def test_program_office_reads_past_checks(self) -> None:
        check = make_check(self.company)
        self.login("specialist")
        response = self.client.get(self.url())
        self.assertContains(response, check.get_absolute_url())
        self.assertIsNone(response.context["form"])

    def test_history_shows_only_this_companys_checks_newest_first(self) -> None:
        first = make_check(self.company)
        second = make_check(self.company, qualifies=False)
        make_check(self.other_company)
        self.login("user")
        history = list(self.client.get(self.url()).context["history"])
        self.assertEqual(history, [second, first])

    def test_confirming_unchanged_details_goes_to_the_questions(self) -> None:
        self.login("user")
        response = self.client.post(
            self.url(), {"business_type": "importer", "business_subtype": "", "country": "US"}
        )
        self.assertRedirects(
            response,
            reverse("eligibility:check-answers", args=[self.company.pk])
            + "?business_type=importer&business_subtype=&country=US",
        )

    def test_changing_the_business_type_updates_the_company(self) -> None:
        self.login("consultant")
        response = self.client.post(
            self.url(),
            {"business_type": "highway_carrier", "business_subtype": "us_mexico", "country": "MX"},
            follow=True,
        )
        self.company.refresh_from_db()
        self.assertEqual(
            (self.company.business_type, self.company.business_subtype, self.company.country.code),
            ("highway_carrier", "us_mexico", "MX"),
        )
        self.assertContains(response, "business type and country were updated")
        self.assertContains(response, "Acta Constitutiva")

    def test_a_sub_type_that_does_not_fit_is_refused_naming_the_choices(self) -> None:
        self.login("user")
        response = self.client.post(
            self.url(),
            {"business_type": "highway_carrier", "business_subtype": "", "country": "MX"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "U.S./Mexico border", str(response.context["form"].errors["business_subtype"])
        )
        self.company.refresh_from_db()
        self.assertEqual(self.company.business_type, "importer")

    def test_a_viewer_cannot_change_the_company_through_step_one(self) -> None:
        self.login("viewer")
        response = self.client.post(
            self.url(), {"business_type": "exporter", "business_subtype": "", "country": "US"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Company.objects.get(pk=self.company.pk).business_type, "importer")


class QuestionsPageTests(DefaultLanguage, PersonaTestCase):
    def url(self, query: str = "") -> str:
        return reverse("eligibility:check-answers", args=[self.company.pk]) + query

    def post(self, answers: dict[str, str], **profile: str) -> Any:
        data = {"business_type": "importer", "business_subtype": "", "country": "US"}
        data.update(profile)
        return self.client.post(self.url(), {**data, **answers})

    def test_only_the_questions_that_apply_are_asked(self) -> None:
        self.login("user")
        fields = self.client.get(self.url()).context["form"].fields
        self.assertIn("importer_continuous_bond", fields)
        self.assertIn("no_unpaid_cbp_debt", fields)
        self.assertNotIn("mexico_rfc", fields)
        self.assertNotIn("air_iata_code", fields)

    def test_the_profile_in_the_address_decides_the_questions(self) -> None:
        self.login("user")
        response = self.client.get(
            self.url("?business_type=foreign_manufacturer&business_subtype=&country=MX")
        )
        self.assertIn("mexico_rfc", response.context["form"].fields)
        self.assertNotIn("importer_continuous_bond", response.context["form"].fields)
        self.assertContains(response, "Foreign manufacturer — Mexico")

    def test_questions_are_shown_in_spanish_for_a_spanish_speaker(self) -> None:
        self.login("user")
        response = self.client.get(self.url(), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(response, "¿Su empresa tiene una fianza de importación continua")
        self.assertContains(response, "Sí")

    def test_a_profile_that_cannot_exist_is_refused_naming_the_field(self) -> None:
        self.login("user")
        response = self.client.get(self.url("?business_type=importer&country=ZZ"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("country", response.context["profile"].errors)

    def test_answering_everything_well_stores_a_qualifying_check(self) -> None:
        self.login("officer")
        response = self.post(all_met())
        check = EligibilityCheck.objects.get(company=self.company)
        self.assertRedirects(response, check.get_absolute_url())
        self.assertTrue(check.qualifies)
        self.assertEqual(check.answers, all_met())
        self.assertEqual(check.created_by, self.users["officer"])
        self.assertEqual(self.company.latest_eligibility_check(), check)

    def test_a_missing_answer_is_named_and_nothing_is_stored(self) -> None:
        self.login("user")
        answers = all_met()
        del answers["importer_staffed_office"]
        response = self.post(answers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["importer_staffed_office"],
            ["Answer this question: yes or no."],
        )
        self.assertFalse(EligibilityCheck.objects.exists())

    def test_a_double_click_stores_one_check(self) -> None:
        self.login("user")
        key = str(uuid.uuid4())
        first = self.post(all_met(), submission_key=key)
        second = self.post(all_met(), submission_key=key)
        self.assertEqual(EligibilityCheck.objects.count(), 1)
        self.assertEqual(first["Location"], second["Location"])

    def test_the_check_keeps_the_profile_it_was_answered_for(self) -> None:
        self.login("user")
        self.post(all_met("air_carrier"), business_type="air_carrier")
        check = EligibilityCheck.objects.get()
        self.assertEqual(check.business_type, "air_carrier")
        self.assertIn("air_iata_code", check.answers)

    def test_a_viewer_cannot_open_the_questions(self) -> None:
        self.login("viewer")
        self.assertEqual(self.client.get(self.url()).status_code, 404)


class ResultPageTests(DefaultLanguage, PersonaTestCase):
    def get(self, check: EligibilityCheck, persona: str = "viewer", **headers: Any) -> Any:
        self.login(persona)
        return self.client.get(check.get_absolute_url(), **headers)

    def test_a_qualifying_result_says_so_and_points_to_the_application(self) -> None:
        response = self.get(make_check(self.company), persona="user")
        self.assertContains(response, "the company meets CTPAT")
        self.assertContains(
            response, reverse("applications:application-detail", args=[self.company.pk])
        )
        self.assertContains(response, "Check again")

    def test_each_disqualifying_answer_is_listed_with_why_and_what_to_do(self) -> None:
        answers = all_met() | {"importer_continuous_bond": "no", "no_unpaid_cbp_debt": "yes"}
        check = make_check(
            self.company,
            answers=answers,
            qualifies=False,
            disqualified_ids=["no_unpaid_cbp_debt", "importer_continuous_bond"],
        )
        response = self.get(check)
        self.assertContains(response, "does not qualify yet")
        self.assertContains(response, 'data-testid="disqualifier-importer_continuous_bond"')
        self.assertContains(response, "single-transaction bonds do not count")
        self.assertContains(response, "Obtain a continuous import bond from a surety company")
        self.assertContains(response, "Pay the debt or agree a payment arrangement")
        self.assertNotContains(response, "Check again")  # a viewer may not run a new check

    def test_concerns_are_listed_separately_from_disqualifiers(self) -> None:
        check = make_check(
            self.company,
            answers=all_met() | {"no_security_events": "yes"},
            concern_ids=["no_security_events"],
        )
        response = self.get(check)
        self.assertContains(response, "Concerns CBP will look at")
        self.assertContains(response, 'data-testid="concern-no_security_events"')
        self.assertNotContains(response, "What disqualifies the company")
        self.assertContains(response, "qualifies")

    def test_required_identifiers_show_what_is_on_file_with_a_link_to_add_them(self) -> None:
        Identifier.objects.create(company=self.company, kind="ior", value="12-345678900")
        response = self.get(make_check(self.company))
        self.assertEqual(
            response.context["identifiers"],
            [(["Importer of Record (IOR) number"], True), (["CBP bond number"], False)],
        )
        self.assertContains(response, reverse("companies:identifier-list", args=[self.company.pk]))

    def test_a_mexican_carrier_needs_its_rfc_too(self) -> None:
        check = make_check(self.other_company)
        self.login("other")
        response = self.client.get(check.get_absolute_url())
        names = [names for names, _held in response.context["identifiers"]]
        self.assertIn(["RFC (Mexico)"], names)

    def test_the_result_is_shown_in_spanish(self) -> None:
        check = make_check(
            self.company,
            answers=all_met() | {"importer_staffed_office": "no"},
            qualifies=False,
            disqualified_ids=["importer_staffed_office"],
        )
        response = self.get(check, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(response, "Abra o designe una oficina con personal")

    def test_a_check_is_not_reachable_through_another_companys_address(self) -> None:
        theirs = make_check(self.other_company)
        self.login("admin")
        url = reverse("eligibility:check-detail", args=[self.company.pk, theirs.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
