"""A container inspection filled in Spanish on a phone, with the network cut midway.

The inspector opens the 7-point form, answers the first points, loses the connection,
answers the rest and taps send: the inspection waits on the phone. When the connection
returns it is sent by itself, exactly once.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, ViewportSize, expect

from companies.models import Company, Membership
from inspections.models import Inspection

PHONE: ViewportSize = {"width": 390, "height": 844}
POINTS = [
    "front_wall",
    "left_side",
    "right_side",
    "floor",
    "ceiling_roof",
    "doors",
    "undercarriage",
]


@pytest.mark.django_db(transaction=True)
def test_inspection_survives_a_lost_connection(browser: Browser, live_server: Any) -> None:
    from accounts.models import User

    user = User.objects.create_user("inspector@norte.test", "Inspecciones-2026")
    company = Company.objects.create(
        legal_name="Transportes del Norte SA de CV",
        business_type="highway_carrier",
        business_subtype="us_mexico",
        country="MX",
    )
    Membership.objects.create(company=company, user=user, role="user")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    context = browser.new_context(
        base_url=live_server.url,
        locale="es-MX",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(f"/companies/{company.pk}/inspections/new/container/")
        expect(page.get_by_role("heading", name="Contenedor (7 puntos)")).to_be_visible()
        page.get_by_label("Número de contenedor / remolque").fill("MSCU1234565")
        page.get_by_label("Movimiento").select_option("outbound")
        for key in POINTS[:3]:
            page.locator(f"fieldset[data-point='{key}'] label.toggle.pass").click()

        context.set_offline(True)
        for key in POINTS[3:]:
            page.locator(f"fieldset[data-point='{key}'] label.toggle.pass").click()
        page.get_by_label("Revisado por plagas visibles").check()
        page.get_by_label("Número de sello").fill("MX0000001")
        for step in ("Ver:", "Verificar:", "Tirar:", "Girar y torcer:"):
            page.get_by_label(re.compile(step)).check()
        page.get_by_role("button", name="Enviar inspección").click()
        expect(page.get_by_test_id("offline-status")).to_contain_text("Sin conexión")
        assert Inspection.objects.count() == 0
        # A second tap while offline keeps one queued copy (same key).
        page.get_by_role("button", name="Enviar inspección").click()
        queued = page.evaluate("JSON.parse(localStorage.getItem('ctpat-offline-queue')).length")
        assert queued == 1

        context.set_offline(False)
        expect(page).to_have_url(re.compile(r"/inspections/\d+/$"))
        expect(page.get_by_role("heading", name="Inspección MSCU1234565")).to_be_visible()
        inspection = Inspection.objects.get()
        assert inspection.is_complete and inspection.passed
        assert inspection.results.filter(result="pass").count() == 7
        assert page.evaluate("localStorage.getItem('ctpat-offline-queue')") == "[]"
        page.reload()
        assert Inspection.objects.count() == 1
    finally:
        context.close()
