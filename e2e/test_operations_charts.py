"""The operations figures page draws its two charts from the numbers in the page, and the
same numbers stay readable in the table."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, expect

from companies.models import Company, Membership
from inspections.models import Inspection


@pytest.mark.django_db(transaction=True)
def test_the_operations_charts_are_drawn(browser: Browser, live_server: Any) -> None:
    from accounts.models import User

    user = User.objects.create_user("manager@acme.test", "Operations-2026")
    company = Company.objects.create(
        legal_name="Acme Imports LLC", business_type="importer", country="US"
    )
    Membership.objects.create(company=company, user=user, role="viewer")
    now = timezone.now()
    for complete in (True, False):
        Inspection.objects.create(
            company=company,
            checklist_key="container",
            checklist_name="Container (7-point)",
            iit_number="MSCU1234565",
            direction="outbound",
            inspector=user,
            performed_at=now,
            pest_checked=True,
            seal_number="MX1",
            vvtt_view=True,
            vvtt_verify=True,
            vvtt_tug=True,
            vvtt_twist=complete,
        )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # Generous on a busy machine: the first request also warms the server.
        page.goto(f"/companies/{company.pk}/inspections/operations/", timeout=60_000)
        expect(page.get_by_test_id("kpi-table")).to_contain_text("50.0 %")
        page.wait_for_function(
            "() => window.Chart && Chart.getChart('chart-problems')", timeout=30_000
        )
        share = page.evaluate("Chart.getChart('chart-complete-share').data.datasets[0].data")
        assert len(share) == 12
        assert share[-1] == 50.0
        assert share[0] is None  # no outbound loads that month: a gap, not 0 %
        labels = page.evaluate("Chart.getChart('chart-problems').data.datasets.map(d => d.label)")
        assert labels == ["Seal discrepancies", "Pest findings", "Missed sign-offs"]
        assert errors == []
    finally:
        context.close()
