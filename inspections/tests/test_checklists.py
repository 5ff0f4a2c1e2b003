from __future__ import annotations

from django.test import SimpleTestCase
from django.utils import translation

from inspections.checklists import builtin, parse


class BuiltinChecklistTests(SimpleTestCase):
    def test_each_type_has_its_points(self) -> None:
        counts = {key: len(c.points) for key, c in builtin().items()}
        self.assertEqual(
            counts, {"container": 7, "reefer": 8, "tractor": 7, "trailer": 10, "truck17": 17}
        )

    def test_the_reefer_adds_the_fan_housing_to_the_container_points(self) -> None:
        reefer = [p.key for p in builtin()["reefer"].points]
        self.assertEqual(reefer[:7], [p.key for p in builtin()["container"].points])
        self.assertEqual(reefer[7], "fan_housing")

    def test_every_point_has_spanish_name_and_hint(self) -> None:
        for checklist in builtin().values():
            for point in checklist.points:
                with self.subTest(checklist=checklist.key, point=point.key):
                    self.assertTrue(point.es and point.hint_es)

    def test_labels_follow_the_language(self) -> None:
        point = builtin()["reefer"].points[7]
        with translation.override("es"):
            self.assertEqual(point.label, "Compartimiento del ventilador")
        with translation.override("en"):
            self.assertEqual(point.label, "Fan housing")

    def test_a_repeated_point_key_is_refused(self) -> None:
        data = {
            "x": {
                "name_en": "X",
                "name_es": "X",
                "points": [{"key": "a", "en": "A"}, {"key": "a", "en": "B"}],
            }
        }
        with self.assertRaisesRegex(ValueError, "repeats"):
            parse(data)
