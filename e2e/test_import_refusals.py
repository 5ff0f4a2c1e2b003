"""A Mexican supplier-compliance user uploads a damaged partner workbook in Spanish and reads
why it was refused, in Spanish, on an accessible page; no partner is stored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.tests import bad_files
from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from partners.models import BusinessPartner
from portal.testing import PASSWORD, add_member, make_company, make_user


@pytest.mark.django_db(transaction=True)
def test_a_damaged_workbook_is_refused_with_a_spanish_message(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Importadora del Norte SA de CV")
    add_member(company, make_user("cumplimiento@norte.test"), "user")
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("cumplimiento@norte.test")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.goto(f"/companies/{company.pk}/partners/import/")
    damaged = bad_files.broken_sheet_xml(("name", "role", "country"), ("Fletes", "warehouse", "MX"))
    page.locator("input[name=file]").set_input_files(
        {
            "name": "socios.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": damaged,
        }
    )
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("El libro de Excel está dañado")
    page.screenshot(path=artifact_path("import-refused-es.png"), full_page=True)
    assert not BusinessPartner.objects.exists()
    assert broken == []

    assert serious_accessibility_problems(page) == []


@pytest.mark.django_db(transaction=True)
def test_a_partner_file_with_a_bad_cell_is_shown_fixed_and_imported(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    add_member(company, make_user("buyer@acme.test"), "user")
    sign_in(page, "buyer@acme.test")
    page.goto(f"/companies/{company.pk}/partners/import/")
    expect(page.get_by_test_id("import-templates")).to_contain_text("Excel template")

    def upload(content: str) -> None:
        page.goto(f"/companies/{company.pk}/partners/import/")
        page.locator("input[name=file]").set_input_files(
            {"name": "partners.csv", "mimeType": "text/csv", "buffer": content.encode()}
        )
        page.get_by_role("button", name="Check the file").click()

    upload("name,role,country\nFletes Rápidos,highway_carrier,MX\nAduanas Sur,pirate,MX\n")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("pirate")
    expect(errors.locator("tbody tr").first).to_contain_text("3")
    expect(errors).to_contain_text("Unknown role; write one of:")
    page.screenshot(path=artifact_path("partner-import-problem.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    assert not BusinessPartner.objects.exists()

    upload("name,role,country\nFletes Rápidos,highway_carrier,MX\nAduanas Sur,customs_broker,MX\n")
    expect(page.get_by_test_id("import-preview")).to_contain_text("Aduanas Sur")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("2 partners imported.")).to_be_visible()
    page.screenshot(path=artifact_path("partner-import-done.png"), full_page=True)
    assert BusinessPartner.objects.count() == 2
    assert broken == []
