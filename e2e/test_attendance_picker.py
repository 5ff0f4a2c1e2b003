"""A trainer records attendance on a phone in Spanish at a company of many people: the
attendees are found by typing and picked one at a time (with the keyboard too), never
listed all at once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from e2e.conftest import artifact_path, phone_in_spanish, serious_accessibility_problems
from portal.testing import add_member, make_company, make_user
from training.models import TrainingRecord
from training.tests import factories as f

PHONE_WIDTH = 390


@pytest.mark.django_db(transaction=True)
def test_a_trainer_picks_attendees_by_search_on_a_phone(browser: Browser, live_server: Any) -> None:
    company = make_company("Transportes del Norte SA de CV")
    trainer = make_user("capacitacion@norte.test")
    add_member(company, trainer, "user")
    guard = f.role(company, "guard")
    course = f.course(company, title_en="Threat awareness", title_es="Amenazas", roles=[guard])
    for i in range(120):
        f.employee(company, f"Persona{i:03d}", "Soto", roles=[guard] if i % 2 else [])
    ana = f.employee(company, "Ana", "Ruiz", roles=[guard])
    luis = f.employee(company, "Luis", "Pérez")
    session = f.session(course, datetime.date.today())

    context = phone_in_spanish(browser, live_server, trainer)
    page = context.new_page()
    try:
        page.goto(f"/companies/{company.pk}/training/sessions/{session.pk}/")
        form = page.get_by_test_id("attendance-form")
        # Nobody is listed until something is typed.
        expect(form.locator("input[type=checkbox]")).to_have_count(0)
        box = form.get_by_label("Asistentes", exact=True)
        box.fill("Ruiz")
        form.get_by_role("button", name="Ana Ruiz ★").click()
        expect(form.get_by_role("button", name="Quitar Ana Ruiz ★")).to_be_visible()
        expect(box).to_be_focused()
        # The keyboard alone: type, arrow down to the match, Enter.
        box.fill("Pérez")
        match = form.get_by_role("button", name="Luis Pérez")
        expect(match).to_be_visible()
        box.press("ArrowDown")
        expect(match).to_be_focused()
        page.keyboard.press("Enter")
        expect(form.get_by_role("button", name="Quitar Luis Pérez")).to_be_visible()
        page.screenshot(path=artifact_path("attendance-picker-phone-es.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"the page is {width} px wide"
        assert serious_accessibility_problems(page) == []

        form.get_by_role("button", name="Registrar asistencia").click()
        expect(page.get_by_text("2 asistentes registrados.")).to_be_visible()
        attended = set(
            TrainingRecord.objects.filter(session=session).values_list("employee", flat=True)
        )
        assert attended == {ana.pk, luis.pk}
        # Those recorded are no longer offered.
        page.get_by_test_id("attendance-form").get_by_label("Asistentes", exact=True).fill("Ruiz")
        expect(page.get_by_text("No hay coincidencias.")).to_be_visible()
    finally:
        context.close()
