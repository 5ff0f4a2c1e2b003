"""The completeness checklist: each gap named, with the page where it is fixed."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from applications.models import Application
from applications.tests.factories import complete_company, eligibility
from companies.models import Contact, Identifier
from portal.testing import add_member, make_company, make_user, sign_in


def gaps(application: Application) -> dict[str, str]:
    return {item.key: item.missing for item in application.missing_items()}


class ChecklistTests(TestCase):
    def setUp(self) -> None:
        self.company = make_company("Acme Imports LLC")
        self.application = Application.start(self.company)

    def test_a_new_company_is_told_everything_it_still_needs(self) -> None:
        with eligibility(None):
            missing = gaps(self.application)
        self.assertEqual(
            set(missing),
            {
                "headquarters",
                "contact_security",
                "contact_officer",
                "contact_senior_management",
                "identifiers",
                "scope",
                "eligibility",
            },
        )
        self.assertIn("Importer of Record (IOR) number", missing["identifiers"])
        self.assertIn("CBP bond number", missing["identifiers"])
        self.assertIn("commodities handled", missing["scope"])
        self.assertIn("not been run yet", missing["eligibility"])

    def test_each_item_links_to_the_page_that_fixes_it(self) -> None:
        with eligibility(None):
            urls = {item.key: item.url for item in self.application.checklist()}
        pk = self.company.pk
        self.assertEqual(urls["headquarters"], reverse("companies:address-list", args=[pk]))
        self.assertEqual(urls["contact_officer"], reverse("companies:contact-list", args=[pk]))
        self.assertEqual(urls["identifiers"], reverse("companies:identifier-list", args=[pk]))
        self.assertEqual(urls["scope"], reverse("companies:company-edit", args=[pk]))
        self.assertEqual(urls["eligibility"], reverse("eligibility:check", args=[pk]))

    def test_a_complete_company_with_a_passing_check_has_no_gaps(self) -> None:
        complete_company(self.company)
        with eligibility(True):
            self.assertEqual(gaps(self.application), {})

    def test_a_failed_eligibility_check_blocks_the_application(self) -> None:
        complete_company(self.company)
        with eligibility(False):
            self.assertIn("does not qualify", gaps(self.application)["eligibility"])

    def test_a_missing_contact_is_named(self) -> None:
        complete_company(self.company)
        Contact.objects.filter(company=self.company, kind="senior_management").delete()
        with eligibility(True):
            missing = gaps(self.application)
        self.assertEqual(list(missing), ["contact_senior_management"])
        self.assertIn("Senior management executive", missing["contact_senior_management"])

    def test_a_mexican_highway_carrier_also_needs_an_rfc(self) -> None:
        carrier = make_company(
            "Transportes del Norte SA de CV",
            business_type="highway_carrier",
            business_subtype="us_mexico",
            country="MX",
        )
        Identifier.objects.create(company=carrier, kind="scac", value="TDNO")
        Identifier.objects.create(company=carrier, kind="usdot", value="1234567")
        with eligibility(True):
            missing = gaps(Application.start(carrier))
        self.assertEqual(missing["identifiers"], "Missing: RFC (Mexico).")

    def test_either_identifier_of_a_choice_is_enough(self) -> None:
        exporter = make_company("Acme Exports", business_type="exporter")
        with eligibility(True):
            self.assertIn("EIN", gaps(Application.start(exporter))["identifiers"])
            Identifier.objects.create(company=exporter, kind="duns", value="123456789")
            self.assertNotIn("identifiers", gaps(Application.start(exporter)))

    def test_zone_numbers_are_needed_only_when_zones_are_used(self) -> None:
        complete_company(self.company)
        self.company.uses_ftz = True
        self.company.save()
        with eligibility(True):
            self.assertIn("foreign trade zones used", gaps(self.application)["scope"])
            self.company.ftz_numbers = "22, 49"
            self.company.save()
            self.assertEqual(gaps(self.application), {})

    def test_a_highway_carrier_without_its_border_sub_type_is_incomplete(self) -> None:
        carrier = make_company("Border Haulers", business_type="highway_carrier")
        with eligibility(True):
            self.assertIn("sub-type", gaps(Application.start(carrier))["business_type"])


class ApplicationPageTests(TestCase):
    def setUp(self) -> None:
        self.company = make_company("Acme Imports LLC")
        self.url = reverse("applications:application-detail", args=[self.company.pk])

    def test_the_page_lists_what_is_missing_with_links(self) -> None:
        user = make_user("admin@acme.test")
        add_member(self.company, user, "admin")
        self.client.force_login(user)
        with eligibility(None):
            response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="checklist-headquarters"')
        self.assertContains(response, reverse("companies:address-list", args=[self.company.pk]))
        self.assertContains(response, "Only a company officer can sign")
        self.assertNotContains(
            response, reverse("applications:application-sign", args=[self.company.pk])
        )

    def test_an_editor_starts_the_draft_but_a_viewer_writes_nothing(self) -> None:
        viewer = make_user("viewer@acme.test")
        add_member(self.company, viewer, "viewer")
        self.client.force_login(viewer)
        self.client.get(self.url)
        self.assertFalse(Application.objects.filter(company=self.company).exists())
        editor = make_user("user@acme.test")
        add_member(self.company, editor, "user")
        self.client.force_login(editor)
        self.client.get(self.url)
        self.assertEqual(Application.objects.get(company=self.company).status, "draft")

    def test_the_officer_is_offered_the_signing_page(self) -> None:
        officer = make_user("officer@acme.test", mfa=True)
        add_member(self.company, officer, "officer")
        sign_in(self.client, officer)
        response = self.client.get(self.url)
        self.assertContains(
            response, reverse("applications:application-sign", args=[self.company.pk])
        )

    def test_the_page_speaks_spanish(self) -> None:
        user = make_user("usuario@norte.test")
        add_member(self.company, user, "user")
        self.client.force_login(user)
        with eligibility(None):
            response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(response, "Lo que necesita la solicitud")
        self.assertContains(response, "Todavía no se ha hecho la verificación de elegibilidad.")
