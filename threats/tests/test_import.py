"""Ratings CSV import: every row checked first, all or nothing, errors by row and column,
English and Spanish labels accepted, an existing rating replaced with its history kept."""

from __future__ import annotations

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.testing import PersonaTestCase, filled_template
from threats.importing import ThreatImporter
from threats.models import ThreatImport, ThreatRating

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
HEADER = "country,region,category,level,source,source_url,rated_on\n"


@time_machine.travel(NOW, tick=False)
class ImportTests(PersonaTestCase):
    def upload(self, content: str, name: str = "ratings.csv") -> ThreatImport:
        self.login("user")
        response = self.client.post(
            reverse("threats:import-create", args=[self.company.pk]),
            {"file": SimpleUploadedFile(name, content.encode())},
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        return ThreatImport.objects.latest("pk")

    def confirm(self, batch: ThreatImport) -> None:
        self.client.post(reverse("threats:import-confirm", args=[self.company.pk, batch.pk]))

    def test_one_bad_row_writes_nothing_and_names_row_and_column(self) -> None:
        content = HEADER + (
            "MX,,terrorism,L,U.S. State Department Country Reports on Terrorism,,2026-01-15\n"
            "Narnia,,piracy,X,,notaurl,2026-13-01\n"
            "GT,MX-CHH,theft,H,OSAC Guatemala report,,2026-01-15\n"
            "CO,,contraband,M,INCSR 2025,,2026-07-01\n"
            "MX,,Terrorism,M,Another source,,2026-01-15\n"
        )
        batch = self.upload(content)
        self.assertEqual(batch.status, "invalid")
        found = {(e["row"], e["column"]) for e in batch.errors}
        self.assertEqual(
            found,
            {
                (3, "country"),
                (3, "category"),
                (3, "level"),
                (3, "source"),
                (3, "source_url"),
                (3, "rated_on"),
                (4, "region"),
                (5, "rated_on"),
                (6, "category"),  # same place and category as row 2
            },
        )
        self.confirm(batch)
        self.assertFalse(ThreatRating.objects.exists())
        page = self.client.get(batch.get_absolute_url())
        self.assertContains(page, "a rating without a source cannot be imported")
        self.assertContains(page, "Same country, region and category as row 2.")
        self.assertContains(page, "human_smuggling")  # the accepted categories are listed

    def test_missing_column_is_named(self) -> None:
        batch = self.upload("country,category,level,rated_on\nMX,terrorism,L,2026-01-01\n")
        self.assertEqual([(e["row"], e["column"]) for e in batch.errors], [(1, "source")])

    def test_spanish_and_english_labels_are_accepted(self) -> None:
        content = (
            "country;region;category;level;source;source_url;rated_on\n"
            "México;Nuevo León;Terrorismo;Bajo;Departamento de Estado;;2026-01-15\n"
            "mexico;chihuahua;Robo, hurto, secuestro de vehículos y piratería;Alta;OSAC;"
            "https://www.osac.gov/;2026-02-01\n"
            "Guatemala;;Theft / pilferage / hijacking / piracy;high;OSAC;;2026-02-01\n"
            "GTM;;Organized crime;Medium;INCSR 2025;;2026-02-01\n"
            "CO;;contrabando;m;INCSR 2025;;2026-02-01\n"
            "CO;;Tráfico de personas;L;TIP Report 2025;;2026-02-01\n"
            "CO;;Condiciones del país que favorecen estas amenazas;H;Corruption index;;2026-02-01\n"
            "CO;;agricultural contamination;low;USDA APHIS notices;;2026-02-01\n"
        )
        batch = self.upload(content)
        self.assertEqual(batch.errors, [])
        self.confirm(batch)
        got = set(ThreatRating.objects.values_list("country", "region", "category", "level"))
        self.assertEqual(
            got,
            {
                ("MX", "MX-NLE", "terrorism", "L"),
                ("MX", "MX-CHH", "theft", "H"),
                ("GT", "", "theft", "H"),
                ("GT", "", "organized_crime", "M"),
                ("CO", "", "contraband", "M"),
                ("CO", "", "human_smuggling", "L"),
                ("CO", "", "country_conditions", "H"),
                ("CO", "", "agricultural", "L"),
            },
        )
        self.assertEqual(
            set(ThreatRating.objects.values_list("rated_by", flat=True)), {self.users["user"].pk}
        )

    def test_existing_rating_is_replaced_and_history_kept(self) -> None:
        ThreatRating.objects.create(
            company=self.company,
            country="MX",
            category="theft",
            level="M",
            source="Own incident log 2024",
            rated_on=datetime.date(2025, 3, 1),
        )
        batch = self.upload(
            HEADER
            + "MX,,theft,H,OSAC Mexico 2026,,2026-05-01\n"
            + "MX,,terrorism,L,Country Reports on Terrorism,,2026-05-01\n"
        )
        preview = self.client.get(batch.get_absolute_url())
        self.assertContains(preview, "2 ratings are ready to import.")
        self.assertContains(preview, "2025-03-01")  # the rating it replaces
        self.confirm(batch)
        batch.refresh_from_db()
        self.assertEqual((batch.status, batch.created_count, batch.updated_count), ("done", 1, 1))
        theft = ThreatRating.objects.get(category="theft")
        self.assertEqual((theft.level, theft.source), ("H", "OSAC Mexico 2026"))
        history = self.client.get(reverse("threats:country-detail", args=[self.company.pk, "MX"]))
        self.assertContains(history, "Medium → High")
        # Confirming twice imports nothing more.
        self.confirm(batch)
        self.assertEqual(ThreatRating.objects.count(), 2)

    def test_the_template_filled_with_one_row_imports(self) -> None:
        self.login("user")
        page = self.client.get(reverse("threats:import-create", args=[self.company.pk]))
        self.assertContains(page, reverse("threats:template-csv", args=[self.company.pk]))
        template = self.client.get(
            reverse("threats:template-csv", args=[self.company.pk]), HTTP_ACCEPT_LANGUAGE="es"
        ).content
        self.assertTrue(template.decode().startswith("país,región,categoría,nivel,fuente"))
        one_row = {
            "country": "MX",
            "category": "theft",
            "level": "H",
            "source": "OSAC",
            "rated_on": "2026-01-15",
        }
        batch = self.upload(
            filled_template(template, "csv", ThreatImporter.columns, one_row).decode()
        )
        self.assertEqual(batch.errors, [])
        self.confirm(batch)
        self.assertEqual(ThreatRating.objects.get().level, "H")

    def test_template_has_the_header_and_no_rating(self) -> None:
        self.login("viewer")
        response = self.client.get(reverse("threats:template-csv", args=[self.company.pk]))
        lines = response.content.decode().strip().splitlines()
        self.assertEqual(lines, ["country,region,category,level,source,source_url,rated_on,note"])
        batch = self.upload(response.content.decode())
        self.assertEqual([e["message"] for e in batch.errors], ["The file has no rating rows."])
