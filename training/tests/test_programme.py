"""The programme data file and seeding a company's copy."""

from __future__ import annotations

import csv
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from personnel.models import SecurityRole
from portal.testing import make_company
from training.models import Course
from training.programme import ProgrammeFileError, load_programme, parse_programme, seed_company

BASE = """
version = "t1"
[[roles]]
code = "guard"
name_en = "Guard"
name_es = "Guardia"
description_en = "x"
description_es = "x"
[[courses]]
code = "threat"
title_en = "Threats"
title_es = "Amenazas"
description_en = "x"
description_es = "x"
criteria = ["12.10"]
refresher_months = 12
roles = ["all"]
"""


class ProgrammeFileTests(TestCase):
    def test_the_shipped_file_covers_the_msc_training_criteria(self) -> None:
        programme = load_programme()
        criteria = {c for course in programme.courses for c in course.criteria}
        for wanted in ("12.10", "12.2", "12.7", "12.8", "12.9", "7.10", "12.6"):
            self.assertIn(wanted, criteria)
        tbml = next(c for c in programme.courses if "12.6" in c.criteria)
        self.assertEqual(tbml.refresher_months, 12)
        role_codes = {r.code for r in programme.roles}
        self.assertTrue(
            {
                "guard",
                "dock",
                "driver",
                "seal_custodian",
                "inspector",
                "document_clerk",
                "it_user",
                "security_coordinator",
                "senior_manager",
            }
            <= role_codes
        )

    def test_every_criterion_id_exists_in_the_msc_catalogue(self) -> None:
        path = settings.SHARED_DATA_DIR / "msc" / "criteria.csv"
        if not path.exists():
            self.skipTest("shared MSC data not present")
        known = {row["id"] for row in csv.DictReader(path.open(encoding="utf-8"))}
        for course in load_programme().courses:
            self.assertLessEqual(set(course.criteria), known, course.code)

    def test_mistakes_name_the_entry_and_field(self) -> None:
        cases = {
            'title_es = "Amenazas"': ('title_es = ""', "'title_es'"),
            'criteria = ["12.10"]': ('criteria = ["twelve"]', "'criteria'"),
            'roles = ["all"]': ('roles = ["pilot"]', "unknown role(s) ['pilot']"),
            "refresher_months = 12": ("refresher_months = -1", "'refresher_months'"),
        }
        for original, (broken, expected) in cases.items():
            with self.subTest(broken=broken):
                with self.assertRaisesMessage(ProgrammeFileError, expected) as ctx:
                    parse_programme(BASE.replace(original, broken))
                self.assertIn("course 'threat'", str(ctx.exception))

    def test_an_unknown_field_is_refused(self) -> None:
        with self.assertRaisesMessage(ProgrammeFileError, "unknown field(s) ['colour']"):
            parse_programme(BASE + 'colour = "red"\n')


class SeedTests(TestCase):
    def test_seeding_creates_bilingual_roles_and_courses_once(self) -> None:
        company = make_company()
        first = seed_company(company)
        self.assertGreater(first.courses_created, 7)
        again = seed_company(company)
        self.assertEqual((again.roles_created, again.courses_created), (0, 0))
        course = Course.objects.get(company=company, code="seal_handling")
        self.assertIn("seal_custodian", set(course.roles.values_list("code", flat=True)))
        with translation.override("es"):
            self.assertEqual(
                str(SecurityRole.objects.get(company=company, code="guard")), "Guardia de seguridad"
            )

    def test_company_edits_survive_reseeding(self) -> None:
        company = make_company()
        seed_company(company)
        course = Course.objects.get(company=company, code="tbml")
        course.refresher_months = 6
        course.roles.clear()
        course.save()
        seed_company(company)
        course.refresher_months = 6
        course.refresh_from_db()
        self.assertEqual(course.refresher_months, 6)
        self.assertEqual(course.roles.count(), 0)

    def test_the_command_seeds_one_company(self) -> None:
        company, other = make_company(), make_company("Other")
        out = StringIO()
        call_command("load_training_programme", company=company.pk, stdout=out)
        self.assertIn("course(s) created", out.getvalue())
        self.assertTrue(Course.objects.filter(company=company).exists())
        self.assertFalse(Course.objects.filter(company=other).exists())
