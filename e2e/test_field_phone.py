"""Field pages on a phone in Spanish: an inspector of a Mexican highway carrier.

On a 390×844 screen, and on a 360 px one, every field page (inspections, gate log, seals,
incidents, training sign-in) must fit the screen width with a one-row header of at most
64 px and tap targets of at least 44 px, and pass axe-core without a critical or serious
finding. The journey then takes a 17-point inspection with one failed point, follows the
failed point's "report an incident" link and picks the seal by its number.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from e2e.conftest import (
    artifact_path,
    mexican_carrier_with_seals,
    phone_in_spanish,
    serious_accessibility_problems,
)

PHONE: ViewportSize = {"width": 390, "height": 844}
NARROW: ViewportSize = {"width": 360, "height": 780}


SMALL_TARGETS = """() => {
  const out = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(
      'a[href], button, select, textarea, input:not([type=hidden]), summary, label.toggle')) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // Hidden, or off the screen until focused (the skip link).
    if (!box.width || !box.height || style.visibility === 'hidden' || box.right <= 0) continue;
    let target = box;
    // A radio or checkbox, or a photo input hidden behind its button, is tapped through its
    // label: the label is the target.
    const throughLabel = el.type === 'radio' || el.type === 'checkbox' ||
      (el.type === 'file' && (style.opacity === '0' || box.width <= 1));
    if (throughLabel && el.labels && el.labels.length) {
      target = el.labels[0].getBoundingClientRect();
    }
    if (target.height < 44 || target.width < 44) {
      const name = (el.innerText || el.value || el.name || el.getAttribute('aria-label') || '')
        .trim().slice(0, 40);
      const key = el.tagName + name + Math.round(target.height);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`${el.tagName.toLowerCase()}[${el.type || ''}] "${name}" ` +
               `${Math.round(target.width)}x${Math.round(target.height)} ${style.display}`);
    }
  }
  return out;
}"""


def _fits_and_is_accessible(page: Page, name: str) -> None:
    """The page fits 390 and 360 px without sideways scrolling, its header stays one row
    (at most 64 px), every control and every link that stands alone is at least 44×44 px,
    and axe-core finds nothing critical or serious."""
    page.screenshot(path=artifact_path(f"field-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    small = page.evaluate(SMALL_TARGETS)
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(100)
    narrow = page.evaluate("document.documentElement.scrollWidth")
    narrow_header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    page.screenshot(path=artifact_path(f"field-{name}-360.png"), full_page=True)
    page.set_viewport_size(PHONE)
    print(f"\n{name}: 390 px: width {width}, header {header}; 360 px: {narrow}, {narrow_header}")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide"
    assert header <= 64, f"{name}: the header is {header} px tall"
    assert narrow <= NARROW["width"], f"{name}: the page is {narrow} px wide at 360"
    assert narrow_header <= 64, f"{name}: the header is {narrow_header} px tall at 360"
    assert small == [], f"{name}: tap targets under 44 px: {small}"
    assert serious_accessibility_problems(page) == [], name


@pytest.mark.django_db(transaction=True)
def test_an_inspector_works_the_field_pages_on_a_phone(browser: Browser, live_server: Any) -> None:
    from incidents.models import Incident
    from inspections.models import Inspection
    from portal.testing import give_totp
    from training.tests import factories

    company, inspector, officer, seal = mexican_carrier_with_seals()
    course = factories.course(company, title_en="Threat awareness", title_es="Amenazas")
    worker = factories.employee(company, "Luis", "Pérez")
    today = datetime.date.today()
    training = factories.session(course, today)
    record = factories.record(worker, course, today, session=training)

    context = phone_in_spanish(browser, live_server, inspector)
    page = context.new_page()
    base = f"/companies/{company.pk}"
    try:
        # The menu folds away behind one button and opens on a tap.
        page.goto(f"{base}/inspections/")
        menu = page.get_by_role("button", name="Menú")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_role("link", name="Capacitación")).to_be_hidden()
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("link", name="Capacitación")).to_be_visible()
        _fits_and_is_accessible(page, "menu-open")
        menu.click()
        _fits_and_is_accessible(page, "inspection-list")

        page.goto(f"{base}/inspections/new/truck17/")
        expect(page.get_by_role("heading", name=re.compile("17 puntos"))).to_be_visible()
        # Sent empty: the summary at the top names each missing field in Spanish.
        page.get_by_role("button", name="Enviar inspección").click()
        summary = page.get_by_test_id("error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("Número de contenedor / remolque")
        expect(summary).not_to_contain_text("iit_number")
        _fits_and_is_accessible(page, "inspection-errors")
        summary.get_by_role("link", name=re.compile("Número de contenedor")).click()
        expect(page.get_by_label("Número de contenedor / remolque")).to_be_focused()

        page.get_by_label("Número de contenedor / remolque").fill("TRLU7788990")
        page.get_by_label("Movimiento").select_option("outbound")
        points = page.locator("fieldset.point")
        assert points.count() == 17
        for index in range(17):
            point = points.nth(index)
            if index == 4:
                point.get_by_label("No cumple", exact=True).check()
                point.get_by_label("Nota").fill("Soldadura nueva en el tanque")
            else:
                point.get_by_label("Cumple", exact=True).check()
        tap = page.locator("fieldset.point").first.locator("label.toggle").first.bounding_box()
        assert tap is not None and tap["height"] >= 44, tap
        page.get_by_label("Revisado por plagas visibles").check()
        page.get_by_label("Número de sello").fill("TFB0001001")
        for step in ("Ver:", "Verificar:", "Tirar:", "Girar y torcer:"):
            page.get_by_label(re.compile(step)).check()
        _fits_and_is_accessible(page, "inspection-form")
        page.get_by_role("button", name="Enviar inspección").click()
        expect(page).to_have_url(re.compile(r"/inspections/\d+/$"))
        inspection = Inspection.objects.get()
        assert inspection.points_failed == 1
        seal.refresh_from_db()
        assert seal.status == "affixed" and seal.iit_number == "TRLU7788990"
        _fits_and_is_accessible(page, "inspection-detail")

        # The failed point raises an incident already filled with what is known.
        page.get_by_role("link", name=re.compile("Reportar un incidente")).click()
        expect(page.get_by_label("Título")).to_have_value(re.compile("TRLU7788990"))
        expect(page.get_by_label("Inspección")).to_have_value(re.compile("TRLU7788990"))
        _fits_and_is_accessible(page, "incident-form")
        seal_box = page.get_by_label("Sello")
        seal_box.fill("TFB00010")
        choice = page.get_by_role("button", name=re.compile("TFB0001001"))
        choice.click()
        expect(seal_box).to_have_value("TFB0001001")
        page.get_by_role("button", name="Reportar").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("TRLU7788990")
        incident = Incident.objects.get()
        assert incident.seal_id == seal.pk and incident.inspection_id == inspection.pk
        _fits_and_is_accessible(page, "incident-detail")

        for name, url in (
            ("incident-list", f"{base}/incidents/"),
            ("gate-log", f"{base}/inspections/gate/"),
            ("seal-list", f"{base}/seals/"),
            ("seal-detail", f"{base}/seals/{seal.pk}/"),
            ("seal-receive", f"{base}/seals/receive/"),
            ("training-session", f"{base}/training/sessions/{training.pk}/"),
            ("training-sign", f"{base}/training/records/{record.pk}/sign/"),
        ):
            response = page.goto(url)
            assert response is not None and response.status == 200, name
            _fits_and_is_accessible(page, name)
    finally:
        context.close()

    # The inventory audit is the manager's: the officer (second factor passed) counts the
    # seals on a phone.
    give_totp(officer)
    context = phone_in_spanish(browser, live_server, officer)
    page = context.new_page()
    try:
        page.goto(f"{base}/seals/audit/")
        expect(page).to_have_url(re.compile(r"/seals/audit/$"))
        _fits_and_is_accessible(page, "seal-audit")
    finally:
        context.close()
