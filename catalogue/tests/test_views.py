"""The criteria pages and the deployment admin's import page."""

from __future__ import annotations

import base64
import datetime
import re
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from catalogue import importers
from catalogue.models import Catalogue, Criterion
from catalogue.tests.factories import csv_bytes, make_catalogue, metadata, row
from companies.context_processors import SESSION_KEY
from portal.testing import PersonaTestCase, filled_template


def _user(email: str, **extra: object) -> User:
    """A user without a password: these tests sign in with force_login, and skipping
    the password hash keeps them fast."""
    return User.objects.create_user(email, None, **extra)


def _shown_ids(html: str) -> list[str]:
    return re.findall(r'data-testid="criterion-([0-9.]+)"', html)


class CriterionListTests(PersonaTestCase):
    catalogue: Catalogue

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()

    def _work_on(self, persona: str, company_pk: int) -> None:
        self.login(persona)
        session = self.client.session
        session[SESSION_KEY] = company_pk
        session.save()

    def test_defaults_to_the_active_companys_business_type(self) -> None:
        self._work_on("viewer", self.company.pk)  # Acme is an importer
        response = self.client.get(reverse("catalogue:criterion-list"))
        self.assertEqual(_shown_ids(response.content.decode()), ["3.1", "12.8"])
        self.assertContains(response, "2 criteria apply to: U.S. importer (2 Must, 0 Should).")

    def test_type_parameter_wins_and_empty_means_all(self) -> None:
        self._work_on("viewer", self.company.pk)
        url = reverse("catalogue:criterion-list")
        carrier = self.client.get(url, {"type": "highway_carrier"}).content.decode()
        self.assertEqual(_shown_ids(carrier), ["3.1", "3.8"])
        everything = self.client.get(url, {"type": ""}).content.decode()
        self.assertEqual(_shown_ids(everything), ["3.1", "3.8", "12.8"])

    def test_another_companys_session_value_is_ignored(self) -> None:
        self._work_on("other", self.company.pk)  # not their company
        response = self.client.get(reverse("catalogue:criterion-list"))
        self.assertEqual(_shown_ids(response.content.decode()), ["3.1", "3.8", "12.8"])

    def test_filters_by_category_and_effective_level(self) -> None:
        self.login("other")
        url = reverse("catalogue:criterion-list")
        response = self.client.get(url, {"type": "", "category": "12"})
        self.assertEqual(_shown_ids(response.content.decode()), ["12.8"])
        brokers_should = self.client.get(url, {"type": "customs_broker", "requirement": "should"})
        self.assertEqual(_shown_ids(brokers_should.content.decode()), ["12.8"])
        importers_should = self.client.get(url, {"type": "importer", "requirement": "should"})
        self.assertEqual(_shown_ids(importers_should.content.decode()), [])

    def test_each_criterion_shows_its_provenance_and_evidence(self) -> None:
        self.login("specialist")
        response = self.client.get(reverse("catalogue:criterion-list"), {"type": "highway_carrier"})
        self.assertContains(response, "Verified for importers; inferred for highway carriers.")
        self.assertContains(response, "Not verified for any business type; inferred for highway")
        self.assertContains(response, "test-evidence")
        self.assertContains(
            response, '<span class="badge warn">inferred for this type</span>', count=2
        )
        self.assertContains(
            response, '<span class="badge ok">verified for this type</span>', count=0
        )

    def test_the_latest_version_is_shown_and_older_ones_on_request(self) -> None:
        newer = make_catalogue(
            [row(id="3.1"), row(id="3.4")], version="2", effective_date=datetime.date(2024, 1, 1)
        )
        self.login("user")
        url = reverse("catalogue:criterion-list")
        self.assertEqual(
            _shown_ids(self.client.get(url, {"type": ""}).content.decode()), ["3.1", "3.4"]
        )
        older = self.client.get(url, {"type": "", "catalogue": str(self.catalogue.pk)})
        self.assertEqual(_shown_ids(older.content.decode()), ["3.1", "3.8", "12.8"])
        self.assertNotEqual(newer.pk, self.catalogue.pk)

    def test_a_bad_filter_value_is_explained(self) -> None:
        self.login("user")
        response = self.client.get(reverse("catalogue:criterion-list"), {"type": "space_carrier"})
        self.assertContains(response, "Select a valid choice. space_carrier is not one of")

    def test_query_count_does_not_grow_with_the_criteria(self) -> None:
        self._work_on("viewer", self.company.pk)
        url = reverse("catalogue:criterion-list")
        self.client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        make_catalogue([row(id=f"3.{n}") for n in range(1, 40)], version="2")
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(url)
        self.assertEqual(len(_shown_ids(response.content.decode())), 39)
        self.assertEqual(len(large), len(small))


class CriterionListWithoutCatalogueTests(TestCase):
    def test_says_how_to_load_one(self) -> None:
        self.client.force_login(_user("someone@acme.test"))
        response = self.client.get(reverse("catalogue:criterion-list"))
        self.assertContains(response, "ctpat load_catalogue")


class CriterionDetailTests(TestCase):
    def setUp(self) -> None:
        self.client.force_login(_user("someone@norte.test"))

    def test_shows_provenance_sources_and_levels_per_type(self) -> None:
        catalogue = make_catalogue()
        criterion = catalogue.criteria.get(ref_id="12.8")
        response = self.client.get(reverse("catalogue:criterion-detail", args=[criterion.pk]))
        self.assertContains(response, "Criterion 12.8")
        self.assertContains(
            response, "Verified for importers; inferred for customs brokers.", html=False
        )
        self.assertContains(response, criterion.sources[0])
        self.assertContains(response, "differs from the default", count=1)
        self.assertContains(response, "does not apply", count=10)

    def test_the_page_speaks_spanish(self) -> None:
        criterion = make_catalogue().criteria.get(ref_id="12.8")
        url = reverse("catalogue:criterion-detail", args=[criterion.pk])
        response = self.client.get(url, headers={"accept-language": "es"})
        self.assertContains(
            response, "Verificado para importadores; inferido para agentes aduanales."
        )
        self.assertContains(response, "Criterio 12.8")

    def test_a_criterion_of_an_unpublished_catalogue_is_not_found(self) -> None:
        draft = Catalogue.objects.create(
            slug="d", version="1", name="Draft", effective_date=datetime.date(2025, 1, 1),
            source_sha256="0" * 64,
        )  # fmt: skip
        criterion = Criterion.objects.create(
            catalogue=draft, ref_id="1.1", category_number=1, sequence=1, requirement="must",
            summary="x", evidence="x",
        )  # fmt: skip
        response = self.client.get(reverse("catalogue:criterion-detail", args=[criterion.pk]))
        self.assertEqual(response.status_code, 404)


class CatalogueListTests(TestCase):
    def test_lists_versions_with_counts_and_marks_the_one_in_force(self) -> None:
        make_catalogue()
        make_catalogue([row()], version="2", name="Test criteria v2")
        self.client.force_login(_user("someone@acme.test"))
        response = self.client.get(reverse("catalogue:catalogue-list"))
        self.assertContains(response, "Test criteria v2")
        self.assertContains(response, "in force", count=1)
        self.assertContains(response, "command line", count=2)
        self.assertNotContains(response, reverse("catalogue:catalogue-import"))


class ImportPageTests(TestCase):
    """Deployment admins (is_staff) import; the personas, none of them staff, get 404
    (core's permission matrix checks that)."""

    staff: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.staff = _user("ops@deploy.test", is_staff=True)

    def setUp(self) -> None:
        self.client.force_login(self.staff)
        self.url = reverse("catalogue:catalogue-import")

    def test_the_template_filled_with_one_row_imports_with_its_spanish_texts(self) -> None:
        url = reverse("catalogue:catalogue-template", args=["xlsx"])
        self.assertContains(self.client.get(self.url), url)
        template = self.client.get(url, HTTP_ACCEPT_LANGUAGE="es").content
        one_row = row(text_es="Evaluar a los socios.", guidance_es="Use listas.")
        data = filled_template(template, "xlsx", importers.CriteriaImporter.columns, one_row)
        preview = self._upload(data, "new.xlsx")
        self.assertContains(preview, 'data-testid="import-ok"')
        importers.import_catalogue(data, "new.xlsx", metadata(), None)
        criterion = Criterion.objects.get()
        self.assertEqual(
            (criterion.text_es, criterion.guidance_es), ("Evaluar a los socios.", "Use listas.")
        )

    def _upload(self, data: bytes, name: str = "new.csv", version: str = "2024"):
        return self.client.post(
            self.url,
            {
                "slug": "ctpat-msc",
                "version": version,
                "name": "",
                "publisher": "CBP",
                "effective_date": "2024-06-01",
                "file": SimpleUploadedFile(name, data),
            },
        )

    def _confirm(self, preview, key: str | None = None):
        fields = dict(
            re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', preview.content.decode())
        )
        fields.pop("csrfmiddlewaretoken", None)
        fields["submission_key"] = key or str(uuid.uuid4())
        return self.client.post(self.url, fields)

    def test_staff_see_the_form(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Check the file")

    def test_a_valid_file_is_previewed_then_imported_on_confirm(self) -> None:
        preview = self._upload(csv_bytes([row(id="3.1"), row(id="3.4", requirement="Should")]))
        self.assertContains(
            preview, "The file is valid: 2 criteria (1 Must, 1 Should) as version 2024."
        )
        self.assertEqual(Catalogue.objects.count(), 0)
        response = self._confirm(preview)
        catalogue = Catalogue.objects.get()
        self.assertRedirects(response, catalogue.get_absolute_url())
        self.assertEqual(catalogue.name, "CTPAT Minimum Security Criteria 2024")
        self.assertEqual(catalogue.imported_by, self.staff)
        self.assertEqual(catalogue.source_file_name, "new.csv")
        self.assertTrue(catalogue.published)
        self.assertEqual(catalogue.criteria.count(), 2)

    def test_a_repeated_confirm_imports_once(self) -> None:
        preview = self._upload(csv_bytes([row()]))
        key = str(uuid.uuid4())
        first = self._confirm(preview, key)
        second = self._confirm(preview, key)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(Catalogue.objects.count(), 1)
        again = self._confirm(preview)  # a fresh key: same file, same version
        self.assertEqual(Catalogue.objects.count(), 1)
        self.assertEqual(again.status_code, 302)

    def test_a_broken_file_lists_its_problems_and_offers_no_confirm(self) -> None:
        response = self._upload(csv_bytes([row(id="3.1", requirement="Maybe"), row(id="3.1")]))
        self.assertContains(response, "2 problems: the file cannot be imported.")
        self.assertContains(response, "Row 2, column requirement:")
        self.assertContains(response, "Row 3, column id:")
        self.assertNotContains(response, 'data-testid="confirm-import"')
        self.assertEqual(Catalogue.objects.count(), 0)

    def test_a_tampered_confirm_is_validated_again(self) -> None:
        preview = self._upload(csv_bytes([row()]))
        bad = base64.b64encode(csv_bytes([row(requirement="Maybe")])).decode()
        html = re.sub(
            r'name="content" value="[^"]*"',
            f'name="content" value="{bad}"',
            preview.content.decode(),
        )
        preview.content = html.encode()
        response = self._confirm(preview)
        self.assertContains(response, "Row 2, column requirement:")
        self.assertEqual(Catalogue.objects.count(), 0)

    def test_an_already_loaded_file_says_nothing_will_change(self) -> None:
        data = csv_bytes([row()])
        self._confirm(self._upload(data))
        preview = self._upload(data)
        self.assertContains(preview, "This exact file is already loaded")

    def test_the_catalogue_list_links_staff_to_the_import(self) -> None:
        response = self.client.get(reverse("catalogue:catalogue-list"))
        self.assertContains(response, self.url)

    def test_an_oversized_file_is_refused_before_reading(self) -> None:
        response = self._upload(b"x" * 1_500_001)
        self.assertContains(response, "larger than 1500 kB")
        self.assertNotContains(response, 'data-testid="import-preview"')
