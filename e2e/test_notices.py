"""A member hears of an event in the browser: the program office starts the review of the
company's application; the company's administrator sees "1 unread" in the header, opens
the inbox, opens the notice (which links to the page that resolves it) and it becomes
read; the task list shows an overdue corrective action first. Every page passes axe."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from actions.models import CorrectiveAction
from certification import workflow
from certification.choices import State
from certification.tests.factories import certification_in
from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from portal.testing import add_member, make_company, make_user


@pytest.mark.django_db(transaction=True)
def test_a_member_reads_a_notice_from_the_header(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    company = make_company("Acme Imports LLC")
    admin = make_user("admin@acme.test")
    add_member(company, admin, "admin")
    specialist = make_user("specialist@cbp.test", program_role="specialist")
    certification = certification_in(State.APPLIED, company)
    workflow.perform("start_review", certification, by=specialist)
    today = timezone.localdate()
    CorrectiveAction.objects.create(
        company=company,
        title="Repair the fence",
        owner=admin,
        due_date=today - datetime.timedelta(days=4),
    )
    CorrectiveAction.objects.create(
        company=company,
        title="Write the IT policy",
        owner=admin,
        due_date=today + datetime.timedelta(days=20),
    )

    sign_in(page, fresh=True, email="admin@acme.test")
    page.goto(f"/companies/{company.pk}/")
    inbox_link = page.get_by_test_id("header-inbox")
    expect(inbox_link).to_have_text("Inbox 1 unread")
    expect(page.get_by_test_id("header-tasks")).to_have_text("Tasks 2 waiting on you")
    inbox_link.click()
    expect(page.get_by_test_id("unread-count")).to_have_text("1 unread notice")
    page.screenshot(path=artifact_path("notices-inbox.png"), full_page=True)
    assert serious_accessibility_problems(page) == []

    page.get_by_role(
        "link", name="The program office started the review of your CTPAT application"
    ).click()
    notice = page.get_by_test_id("notice")
    expect(notice.get_by_role("heading")).to_have_text(
        "The program office started the review of your CTPAT application"
    )
    page.screenshot(path=artifact_path("notices-detail.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    expect(page.get_by_test_id("header-inbox")).to_have_text("Inbox 0 unread")
    notice.get_by_role("link", name="Open the page that resolves it").click()
    expect(page).to_have_url(f"{live_server.url}/companies/{company.pk}/certification/")

    page.get_by_test_id("header-tasks").click()
    overdue = page.get_by_test_id("tasks-overdue")
    expect(overdue).to_contain_text("Repair the fence")
    expect(overdue).to_contain_text("4 days late")
    expect(page.get_by_test_id("tasks-later")).to_contain_text("Write the IT policy")
    page.screenshot(path=artifact_path("notices-tasks.png"), full_page=True)
    assert serious_accessibility_problems(page) == []

    page.goto("/me/inbox/settings/")
    page.get_by_label("e-mail me each notice").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notice settings are saved.")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    assert not admin.notice_settings.email

    # On a phone, in Spanish: the same inbox, its header counts behind the menu button.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Language", exact=True).select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto("/me/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bandeja de entrada")
    expect(page.get_by_test_id("unread-count")).to_have_text("0 avisos sin leer")
    page.get_by_test_id("menu-toggle").click()
    expect(page.get_by_test_id("header-tasks")).to_have_text("Tareas 2 pendientes de usted")
    page.screenshot(path=artifact_path("notices-inbox-es-phone.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    assert broken == []
