"""The criteria read in Spanish in the Spanish interface: the shipped translation of every
shipped criterion, and English kept where a catalogue's wording is its own."""

from __future__ import annotations

import csv
import io

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from catalogue import translations
from catalogue.models import Catalogue
from catalogue.tests.factories import SHIPPED, make_catalogue, row
from profiles.tests.factories import load_msc


class ShippedTranslationTests(TestCase):
    def test_every_shipped_criterion_has_its_spanish_text_and_names(self) -> None:
        with SHIPPED.open(encoding="utf-8", newline="") as handle:
            shipped = list(csv.DictReader(handle))
        missing = [r["id"] for r in shipped if not translations.spanish_summary(r["summary"])]
        self.assertEqual(missing, [], "criteria whose English has no shipped translation")
        unnamed = {
            name
            for r in shipped
            for name in (r["category_name"], r["focus_area"])
            if not translations.spanish_name(name)
        }
        self.assertEqual(unnamed, set())


class LoadedCatalogueTests(TestCase):
    def test_load_catalogue_writes_the_spanish_text_of_every_criterion_of_every_version(
        self,
    ) -> None:
        call_command("load_catalogue", stdout=io.StringIO())
        versions = Catalogue.objects.all()
        self.assertEqual(sorted(c.version for c in versions), ["2019", "2023"])
        for catalogue in versions:
            criteria = list(catalogue.criteria.all())
            self.assertEqual(len(criteria), 100)
            empty = [c.ref_id for c in criteria if not c.text_es.strip()]
            self.assertEqual(empty, [], f"{catalogue}: criteria without text_es")
            # Per business type too: a Mexican carrier's checklist reads wholly in Spanish.
            for business_type in {t for c in criteria for t in c.entity_types}:
                mine = [c for c in criteria if business_type in c.entity_types]
                self.assertTrue(all(c.text_es for c in mine), business_type)
        criterion = Catalogue.objects.get(version="2019").criteria.get(ref_id="6.7")
        self.assertIn("Revisar cada sello de perno o de cable", criterion.text_es)


class SpanishPageTests(TestCase):
    catalogue: Catalogue
    user: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.catalogue = load_msc()
        cls.user = User.objects.create_user("reader@example.test", None)

    def setUp(self) -> None:
        self.client.force_login(self.user)

    def _page(self, language: str) -> str:
        criterion = self.catalogue.criteria.get(ref_id="6.7")
        url = reverse("catalogue:criterion-detail", args=[criterion.pk])
        return self.client.get(url, headers={"accept-language": language}).content.decode()

    def test_a_criterion_page_reads_in_the_readers_language(self) -> None:
        spanish = self._page("es")
        self.assertIn("Revisar cada sello de perno o de cable con el método VVTT", spanish)
        self.assertIn("Seguridad de sellos", spanish)
        self.assertIn("Seguridad del transporte", spanish)
        self.assertNotIn("Check every bolt or cable seal", spanish)
        english = self._page("en")
        self.assertIn("Check every bolt or cable seal with the VVTT method", english)
        self.assertNotIn("Revisar cada sello", english)

    def test_the_list_shows_spanish_summaries_and_category_names(self) -> None:
        url = reverse("catalogue:criterion-list")
        html = self.client.get(url, {"type": ""}, headers={"accept-language": "es"}).content
        text = html.decode()
        self.assertIn("Capacitar al personal para reportar incidentes", text)
        self.assertIn("12. Educación, capacitación y concientización", text)


class CatalogueNotesTests(TestCase):
    def test_the_internal_notes_are_for_the_program_office_not_members(self) -> None:
        from portal.testing import give_totp, sign_in

        catalogue = load_msc()
        criterion = catalogue.criteria.get(ref_id="6.1")
        self.assertIn("verified_for", criterion.notes)
        url = reverse("catalogue:criterion-detail", args=[criterion.pk])
        member = User.objects.create_user("miembro@example.test", None)
        office = User.objects.create_user("oficina@cbp.test", None, program_role="specialist")
        self.client.force_login(member)
        page = self.client.get(url, headers={"accept-language": "es"}).content.decode()
        self.assertNotIn("verified_for", page)
        self.assertIn("Seguridad de sellos", page)
        give_totp(office)  # the program office signs in with a second factor
        sign_in(self.client, office)
        page = self.client.get(url, headers={"accept-language": "es"}).content.decode()
        self.assertIn("verified_for", page)


class OwnWordingTests(TestCase):
    def test_a_catalogue_of_ones_own_keeps_its_english_or_its_own_spanish(self) -> None:
        catalogue = make_catalogue(
            rows=[
                row(id="6.7", summary="Our own seal check, in our words.", text_es=""),
                row(id="6.6", summary="Audit the seals.", text_es="Auditar los sellos."),
            ]
        )
        own = catalogue.criteria.get(ref_id="6.7")
        translated = catalogue.criteria.get(ref_id="6.6")
        with translation.override("es"):
            self.assertEqual(own.summary_local, "Our own seal check, in our words.")
            self.assertEqual(translated.summary_local, "Auditar los sellos.")
        with translation.override("en"):
            self.assertEqual(translated.summary_local, "Audit the seals.")


class SpanishProfileTests(TestCase):
    def test_the_security_profile_and_a_criterion_page_read_in_spanish(self) -> None:
        from portal.testing import add_member, make_company, make_user
        from profiles.tests.factories import start_profile

        catalogue = load_msc()
        company = make_company("Importadora del Golfo", business_type="importer")
        user = make_user("oficial@golfo.test")
        add_member(company, user, "admin")
        start_profile(company)
        self.client.force_login(user)
        spanish = {"accept-language": "es"}
        overview = self.client.get(
            reverse("profiles:profile-detail", args=[company.pk]), headers=spanish
        ).content.decode()
        self.assertIn("Mantener un proceso escrito y basado en el riesgo", overview)
        self.assertNotIn("Keep a written, risk-based process", overview)
        criterion = catalogue.criteria.get(ref_id="3.1")
        page = self.client.get(
            reverse("profiles:response-edit", args=[company.pk, criterion.pk]), headers=spanish
        ).content.decode()
        self.assertIn("3.1 Mantener un proceso escrito", page)
