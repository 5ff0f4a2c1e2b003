"""A company admin changes the anonymous reporting link from the incidents page; a driver
on a phone, in Spanish, sends a report with a photo through the new link; the old link is
dead and the company downloads the photo from the incident. Both pages pass axe-core with
no critical or serious violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import TIMEOUT_MS, artifact_path, serious_accessibility_problems, sign_in
from incidents.models import Incident
from portal.testing import add_member, make_company, make_user

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.django_db(transaction=True)
def test_the_admin_rotates_the_link_and_a_driver_reports_through_the_new_one(
    page: Page, browser: Browser, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Transportes del Norte SA de CV", country="MX", language="es")
    add_member(company, make_user("admin@norte.test"), "admin")
    sign_in(page, "admin@norte.test")

    page.goto(f"/companies/{company.pk}/incidents/")
    old_link = page.get_by_test_id("report-link").inner_text()
    page.get_by_text("Change the link").click()
    page.get_by_role("button", name="Create a new link and disable this one").click()
    expect(page.get_by_text("The old link no longer works")).to_be_visible()
    new_link = page.get_by_test_id("report-link").inner_text()
    assert new_link != old_link
    page.get_by_text("Change the link").click()
    page.screenshot(path=artifact_path("incident-link-rotated.png"), full_page=True)
    assert serious_accessibility_problems(page) == []

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="es-MX", is_mobile=True, has_touch=True
    )
    phone.set_default_timeout(TIMEOUT_MS)
    driver = phone.new_page()
    assert driver.goto(old_link).status == 404  # type: ignore[union-attr]
    driver.goto(new_link)
    expect(driver.get_by_role("heading", level=1)).to_have_text("Reportar un problema de seguridad")
    driver.locator("select[name=kind]").select_option(value="tampering")
    driver.locator("textarea[name=description]").fill("El sello del remolque 14 estaba roto.")
    driver.locator("input[name=attachment]").set_input_files(
        {"name": "sello.png", "mimeType": "image/png", "buffer": PNG}
    )
    driver.screenshot(path=artifact_path("incident-report-phone-es-form.png"), full_page=True)
    assert serious_accessibility_problems(driver) == []
    driver.get_by_role("button", name="Enviar el reporte").click()
    expect(driver.get_by_test_id("report-sent")).to_be_visible()
    driver.screenshot(path=artifact_path("incident-report-phone-es-sent.png"), full_page=True)
    phone.close()

    incident = Incident.objects.get()
    page.goto(incident.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_test_id("incident-attachment").click()
    assert Path(download.value.path()).read_bytes() == PNG
    assert broken == []
