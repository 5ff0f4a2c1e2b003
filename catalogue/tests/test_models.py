"""Catalogue rules: published versions are immutable, filtering by business type, and
the provenance sentence users read."""

from __future__ import annotations

import datetime

from django.test import TestCase

from catalogue.models import Applicability, Catalogue, CatalogueLocked, Criterion
from catalogue.tests.factories import make_catalogue, row
from portal.testing import make_user


class ImmutabilityTests(TestCase):
    catalogue: Catalogue
    criterion: Criterion

    @classmethod
    def setUpTestData(cls) -> None:
        cls.catalogue = make_catalogue()
        cls.criterion = cls.catalogue.criteria.get(ref_id="3.1")

    def assertLocked(self, action, *args, **kwargs) -> None:  # noqa: N802
        with self.assertRaises(CatalogueLocked) as caught:
            action(*args, **kwargs)
        self.assertIn("new version", caught.exception.messages[0])

    def test_a_published_criterion_cannot_be_saved_or_deleted(self) -> None:
        self.criterion.summary = "Edited"
        self.assertLocked(self.criterion.save)
        self.assertLocked(self.criterion.delete)
        self.assertLocked(
            Criterion.objects.create, catalogue=self.catalogue, ref_id="3.9",
            category_number=3, sequence=9, requirement="must", summary="x", evidence="x",
        )  # fmt: skip
        self.assertEqual(Criterion.objects.get(pk=self.criterion.pk).summary[:6], "Screen")

    def test_bulk_paths_are_guarded_too(self) -> None:
        self.assertLocked(Criterion.objects.filter(pk=self.criterion.pk).update, summary="x")
        self.assertLocked(Criterion.objects.all().delete)
        self.assertLocked(
            Criterion.objects.bulk_create,
            [Criterion(catalogue=self.catalogue, ref_id="3.9", category_number=3, sequence=9)],
        )
        self.assertLocked(Applicability.objects.all().update, requirement="should")
        self.assertLocked(Applicability.objects.all().delete)
        applicability = Applicability.objects.first()
        assert applicability is not None
        self.assertLocked(applicability.save)
        self.assertEqual(Criterion.objects.count(), 3)

    def test_the_published_catalogue_itself_is_locked(self) -> None:
        self.catalogue.name = "Renamed"
        self.assertLocked(self.catalogue.save)
        self.assertLocked(self.catalogue.delete)
        self.assertLocked(Catalogue.objects.all().delete)
        self.assertLocked(Catalogue.objects.all().update, version="2")
        self.assertEqual(Catalogue.objects.get().name, "Test criteria")

    def test_deleting_the_importing_user_keeps_the_catalogue(self) -> None:
        user = make_user("admin@deploy.test", is_staff=True)
        catalogue = make_catalogue(version="2")
        Catalogue.objects.filter(pk=catalogue.pk).update(imported_by=user)
        user.delete()
        catalogue.refresh_from_db()
        self.assertIsNone(catalogue.imported_by)

    def test_a_draft_can_be_changed_until_it_is_published(self) -> None:
        draft = Catalogue.objects.create(
            slug="draft", version="1", name="Draft", effective_date=datetime.date(2025, 1, 1),
            source_sha256="0" * 64,
        )  # fmt: skip
        criterion = Criterion.objects.create(
            catalogue=draft, ref_id="1.1", category_number=1, sequence=1, requirement="must",
            summary="x", evidence="x", entity_types=["importer"],
        )  # fmt: skip
        criterion.summary = "y"
        criterion.save()
        draft.publish()
        criterion.summary = "z"
        self.assertLocked(criterion.save)
        self.assertEqual(Catalogue.objects.latest_published(), draft)


class BusinessTypeTests(TestCase):
    catalogue: Catalogue

    @classmethod
    def setUpTestData(cls) -> None:
        cls.catalogue = make_catalogue()

    def test_only_criteria_listing_the_type_are_returned(self) -> None:
        ids = lambda t: list(self.catalogue.criteria_for(t).values_list("ref_id", flat=True))  # noqa: E731
        self.assertEqual(ids("importer"), ["3.1", "12.8"])
        self.assertEqual(ids("highway_carrier"), ["3.1", "3.8"])
        self.assertEqual(ids("customs_broker"), ["12.8"])
        self.assertEqual(ids("sea_carrier"), [])
        self.assertEqual(
            list(Criterion.objects.for_business_type("importer")),
            list(self.catalogue.criteria_for("importer")),
        )

    def test_effective_level_and_verified_flag_are_annotated(self) -> None:
        broker = self.catalogue.criteria_for("customs_broker").get()
        self.assertEqual(broker.effective_requirement, "should")  # type: ignore[attr-defined]
        self.assertFalse(broker.verified_for_type)  # type: ignore[attr-defined]
        importer = self.catalogue.criteria_for("importer").get(ref_id="12.8")
        self.assertEqual(importer.effective_requirement, "must")  # type: ignore[attr-defined]
        self.assertTrue(importer.verified_for_type)  # type: ignore[attr-defined]

    def test_requirement_for_a_type(self) -> None:
        criterion = self.catalogue.criteria.get(ref_id="12.8")
        self.assertEqual(criterion.requirement_for("importer"), "must")
        self.assertEqual(criterion.requirement_for("customs_broker"), "should")
        self.assertIsNone(criterion.requirement_for("sea_carrier"))

    def test_an_unknown_type_is_a_programming_error(self) -> None:
        with self.assertRaises(ValueError):
            self.catalogue.criteria_for("space_carrier")


def _provenance(entity_types: str, verified_for: str) -> str:
    return Criterion(
        entity_types=entity_types.split(";"), verified_for=[v for v in verified_for.split(";") if v]
    ).provenance()


ALL_TYPES = (
    "importer;exporter;foreign_manufacturer;highway_carrier;air_carrier;sea_carrier;"
    "rail_carrier;consolidator;customs_broker;marine_port_terminal;third_party_logistics;"
    "mexico_long_haul_carrier"
)


class ProvenanceTests(TestCase):
    def test_verified_and_inferred_types_are_named(self) -> None:
        self.assertEqual(
            _provenance("importer;highway_carrier", "importer"),
            "Verified for importers; inferred for highway carriers",
        )
        self.assertEqual(
            _provenance("importer;foreign_manufacturer;highway_carrier", "importer"),
            "Verified for importers; inferred for foreign manufacturers and highway carriers",
        )

    def test_nothing_verified(self) -> None:
        self.assertEqual(
            _provenance("highway_carrier", ""),
            "Not verified for any business type; inferred for highway carriers",
        )

    def test_all_types(self) -> None:
        self.assertEqual(
            _provenance(ALL_TYPES, "importer"),
            "Verified for importers; inferred for every other business type",
        )
        self.assertEqual(_provenance(ALL_TYPES, ALL_TYPES), "Verified for every business type")

    def test_the_sentence_follows_the_language(self) -> None:
        from django.utils import translation

        with translation.override("es"):
            text = _provenance("importer;highway_carrier", "importer")
        self.assertEqual(
            text, "Verificado para importadores; inferido para transportistas por carretera"
        )


class CategoryRowTests(TestCase):
    def test_categories_list_each_once_in_order(self) -> None:
        catalogue = make_catalogue(
            [row(id="10.1", category_name="Physical Access Controls"), row(id="3.4"), row(id="3.1")]
        )
        self.assertEqual(
            [n for n, _name, _focus in catalogue.categories()],
            [3, 10],
        )
