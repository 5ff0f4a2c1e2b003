"""A supplier site audit from plan to PDF.

The importer's compliance user plans a visit to its Mexican carrier from the desktop; on
site, the same person records the checklist on a phone in Spanish (one item not met, with
a photo) and completes the audit; the carrier's security manager answers the corrective
action from the link without an account; back at the desk the member reads the answer and
opens the Spanish PDF report, whose text is checked.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from companies.models import Company, Membership
from e2e.conftest import (
    artifact_path,
    phone_in_spanish,
    serious_accessibility_problems,
    sign_in,
)
from profiles.tests.factories import make_catalogue
from siteaudits.models import ItemPhoto, PartnerReply, SiteAudit
from siteaudits.tests.world import make_partner, png_bytes

PHONE_WIDTH = 390


def _look(page: Page, name: str, *, phone: bool = False) -> None:
    page.screenshot(path=artifact_path(f"site-audit-{name}.png"), full_page=True)
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{name}: the page is {width} px wide"
    assert serious_accessibility_problems(page) == [], name


@pytest.mark.django_db(transaction=True)
def test_a_site_audit_from_plan_to_pdf(browser: Browser, live_server: Any) -> None:
    from pypdf import PdfReader

    from accounts.models import User
    from portal.testing import PASSWORD

    make_catalogue()
    member = User.objects.create_user("compliance@acme.test", PASSWORD)
    company = Company.objects.create(
        legal_name="Acme Imports LLC", business_type="importer", country="US"
    )
    Membership.objects.create(company=company, user=member, role="user")
    partner = make_partner(company)

    desk = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    desk.set_default_timeout(10_000)
    page = desk.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        # Plan the visit from the Partners menu.
        sign_in(page, member.email)
        page.goto(f"/companies/{company.pk}/")
        page.locator("nav.main-nav summary", has_text="Partners").click()
        page.get_by_role("link", name="Site audits").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("supplier site audits")
        # The partner is found by typing (a company may have tens of thousands).
        page.get_by_label("Business partner").fill("Transportes")
        page.get_by_role("button", name=f"{partner.name} ({partner.country})").click()
        expect(page.locator('input[name="partner"]')).to_have_value(str(partner.pk))
        page.get_by_label("Visit date").fill("2026-03-02")
        page.get_by_label("Minimum Security Criteria for the partner's business type").check()
        page.get_by_label("Report language").select_option("es")
        _look(page, "plan")
        page.get_by_role("button", name="Plan the visit").click()
        expect(page.get_by_test_id("audit-status")).to_have_text("Planned")
        audit = SiteAudit.objects.get()
        expect(page.get_by_test_id("progress")).to_contain_text("Not checked yet: 4")

        # On site, on a phone in Spanish.
        phone_context = phone_in_spanish(browser, live_server, member)
        phone = phone_context.new_page()
        phone.on("dialog", lambda dialog: dialog.accept())
        phone.goto(audit.get_absolute_url())
        expect(phone.get_by_role("heading", level=1)).to_contain_text("Auditoría en sitio")
        _look(phone, "phone-checklist", phone=True)
        first = phone.get_by_test_id("item-1")
        first.get_by_label("No cumple", exact=True).check()
        first.get_by_label("Gravedad (si no cumple)").select_option("major")
        first.get_by_label("Notas").fill("La puerta del patio quedó abierta")
        first.locator("input[type=file]").set_input_files(
            {"name": "puerta.png", "mimeType": "image/png", "buffer": png_bytes()}
        )
        first.get_by_role("button", name="Guardar").click()
        expect(phone.locator(".messages")).to_contain_text("Punto 1 guardado")
        expect(phone.get_by_test_id("item-1")).to_contain_text("puerta.png")
        for n in (2, 3, 4):
            item = phone.get_by_test_id(f"item-{n}")
            item.get_by_label("Cumple", exact=True).check()
            item.get_by_role("button", name="Guardar").click()
            expect(phone.locator(".messages")).to_contain_text(f"Punto {n} guardado")
        expect(phone.get_by_test_id("progress")).to_contain_text("Sin revisar: 0")
        _look(phone, "phone-recorded", phone=True)
        phone.get_by_label("Resumen").fill("Una observación mayor en el patio")
        phone.get_by_test_id("complete").click()
        expect(phone.get_by_test_id("audit-status")).to_have_text("Completada")
        expect(phone.get_by_test_id("next-due")).to_be_visible()
        link = phone.get_by_test_id("partner-link").get_by_role("link").get_attribute("href")
        assert link and "/sa/" in link
        _look(phone, "phone-completed", phone=True)
        phone_context.close()
        assert ItemPhoto.objects.get().original_name == "puerta.png"

        # The carrier answers from the link, no account, in Spanish.
        partner_side = browser.new_context(
            base_url=live_server.url, locale="es-MX", viewport={"width": 390, "height": 844}
        )
        partner_side.set_default_timeout(10_000)
        answer = partner_side.new_page()
        answer.goto(link)
        expect(answer.get_by_role("heading", level=1)).to_have_text(
            "Acciones correctivas tras la auditoría en sitio"
        )
        action = answer.get_by_test_id("action-1")
        expect(action).to_contain_text("La puerta del patio quedó abierta")
        _look(answer, "partner-link", phone=True)
        action.get_by_label("Su nombre").fill("Ana Ruiz")
        action.get_by_label("Lo que hizo o hará").fill("Pusimos un candado y un guardia")
        action.get_by_role("button", name="Enviar la respuesta").click()
        expect(answer.locator(".messages")).to_contain_text("Gracias")
        expect(answer.get_by_test_id("action-1").get_by_test_id("reply")).to_contain_text(
            "Pusimos un candado"
        )
        partner_side.close()
        assert PartnerReply.objects.get().name == "Ana Ruiz"

        # Back at the desk: the answer, then the Spanish PDF report.
        page.goto(audit.get_absolute_url())
        expect(page.get_by_test_id("reply")).to_contain_text("Pusimos un candado y un guardia")
        expect(page.get_by_test_id("checklist-table")).to_contain_text("puerta.png")
        expect(page.get_by_test_id("action-table")).to_contain_text("In progress")
        _look(page, "detail")
        report = page.request.get(page.get_by_test_id("report-es").get_attribute("href") or "")
        assert report.headers["content-type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.body())).pages)
        for expected in (
            "Informe de auditoría en sitio del proveedor",
            "Transportes del Norte",
            "No cumple",
            "La puerta del patio quedó abierta",
            "Pusimos un candado y un guardia",
        ):
            assert expected in re.sub(r"\s+", " ", text), expected
        artifact_path("site-audit-report-es.pdf").write_bytes(report.body())
    finally:
        desk.close()
