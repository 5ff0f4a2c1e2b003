"""Import: every row checked first, all or nothing, errors by row and column."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from partners.importing import PartnerImporter
from partners.models import BusinessPartner, PartnerImport
from portal.testing import PersonaTestCase, filled_template


class ImportTests(PersonaTestCase):
    def upload(self, content: bytes, name: str = "partners.csv") -> PartnerImport:
        self.login("user")
        response = self.client.post(
            reverse("partners:import-create", args=[self.company.pk]),
            {"file": SimpleUploadedFile(name, content)},
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        return PartnerImport.objects.latest("pk")

    def confirm(self, batch: PartnerImport) -> None:
        self.client.post(reverse("partners:import-confirm", args=[self.company.pk, batch.pk]))

    def test_one_bad_row_writes_nothing_and_names_row_and_column(self) -> None:
        content = (
            "name,role,country,yearly_volume,contact_email\n"
            "Fletes Rápidos,highway_carrier,MX,100,ops@fletes.mx\n"
            "Aduanas Sur,pirate,MX,5,\n"
            "Bodega Uno,warehouse,Narnia,x,not-an-email\n"
        ).encode()
        batch = self.upload(content)
        self.assertEqual(batch.status, "invalid")
        found = {(e["row"], e["column"]) for e in batch.errors}
        self.assertEqual(
            found,
            {(3, "role"), (4, "country"), (4, "yearly_volume"), (4, "contact_email")},
        )
        self.confirm(batch)
        self.assertFalse(BusinessPartner.objects.exists())
        page = self.client.get(batch.get_absolute_url())
        self.assertContains(page, "customs_broker")  # the accepted roles are listed

    def test_duplicates_against_existing_partners_and_within_the_file(self) -> None:
        BusinessPartner.objects.create(
            company=self.company, name="Maquilas Nuñez SA de CV", role="manufacturer", country="MX"
        )
        content = (
            b"name,role,country\n"
            b"MAQUILAS NUNEZ,manufacturer,MX\n"
            b"Bodega Uno,warehouse,MX\n"
            b"Bodega Uno S.A.,warehouse,Mexico\n"
            b"Bodega Uno,warehouse,US\n"
        )
        batch = self.upload(content)
        self.assertEqual(
            [(e["row"], e["column"]) for e in batch.errors], [(2, "name"), (4, "name")]
        )
        self.assertIn("3", batch.errors[1]["message"])

    def test_good_file_previews_then_imports_once(self) -> None:
        content = (
            "name;role;country;yearly_volume;relationship_owner\n"
            "Fletes Rápidos;Transportista de autotransporte;mx;600;USER@acme.test\n"
            "Aduanas Sur;customs_broker;CA;1;\n"
        ).encode()
        batch = self.upload(content)
        self.assertEqual(batch.status, "preview", batch.errors)
        self.assertFalse(BusinessPartner.objects.exists())
        self.assertContains(self.client.get(batch.get_absolute_url()), "Fletes Rápidos")
        self.confirm(batch)
        self.confirm(batch)  # a second click imports nothing more
        fletes = BusinessPartner.objects.get(name="Fletes Rápidos")
        self.assertEqual(BusinessPartner.objects.count(), 2)
        self.assertEqual((fletes.tier, fletes.relationship_owner), ("high", self.users["user"]))
        batch.refresh_from_db()
        self.assertEqual((batch.status, batch.created_count), ("done", 2))

    def test_excel_file(self) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["name", "role", "country", "yearly_volume"])
        sheet.append(["Naviera del Pacífico", "sea_carrier", "PA", 20])
        buffer = io.BytesIO()
        book.save(buffer)
        batch = self.upload(buffer.getvalue(), "partners.xlsx")
        self.assertEqual(batch.status, "preview", batch.errors)
        self.confirm(batch)
        self.assertEqual(BusinessPartner.objects.get().role, "sea_carrier")

    def test_missing_column_and_unreadable_file_are_explained(self) -> None:
        batch = self.upload(b"name,country\nX,MX\n")
        self.assertEqual(batch.errors[0]["column"], "role")
        batch = self.upload(b"\xff\xfe\x00garbage", "p.csv")
        self.assertEqual(batch.status, "invalid")

    def test_the_template_filled_with_one_row_imports_in_english_and_spanish(self) -> None:
        self.login("user")
        page = self.client.get(reverse("partners:import-create", args=[self.company.pk]))
        template_url = reverse("partners:import-template", args=[self.company.pk, "xlsx"])
        self.assertContains(page, template_url)
        for language, kind in (("en", "csv"), ("es", "xlsx")):
            with self.subTest(language=language, kind=kind):
                url = reverse("partners:import-template", args=[self.company.pk, kind])
                template = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language).content
                if kind == "csv":
                    self.assertTrue(template.decode().startswith("name,role,country,"))
                one_row = {"name": f"Fletes {kind}", "role": "highway_carrier", "country": "MX"}
                data = filled_template(template, kind, PartnerImporter.columns, one_row)
                batch = self.upload(data, f"partners.{kind}")
                self.assertEqual(batch.status, "preview", batch.errors)
                self.confirm(batch)
        self.assertEqual(
            set(BusinessPartner.objects.values_list("name", flat=True)),
            {"Fletes csv", "Fletes xlsx"},
        )

    def test_a_refusal_shows_the_value_found(self) -> None:
        batch = self.upload(b"name,role,country\nAduanas Sur,pirate,MX\n")
        self.assertEqual(batch.errors[0]["value"], "pirate")
        page = self.client.get(batch.get_absolute_url())
        self.assertContains(page, "<code>pirate</code>", html=False)

    def test_another_companys_import_answers_404(self) -> None:
        theirs = PartnerImport.objects.create(
            company=self.other_company, filename="x.csv", status="preview", rows=[]
        )
        self.login("admin")
        url = reverse("partners:import-confirm", args=[self.company.pk, theirs.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
