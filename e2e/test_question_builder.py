"""A member builds its own conditional questionnaire, sends it, and the partner answers it
in Spanish on a phone; the score the member then sees follows the weights.

The importer's compliance user writes five questions on the builder page: a yes/no gate
log (weight 3) with an "if no, explain" follow-up (weight 0), the seals used (multiple
choice, weight 2), the date of the last audit and the guards per shift (weight 1 each),
publishes version 1 and sends it from the partner's page. The warehouse's manager opens
the link on a phone in Spanish: the follow-up appears only once "No" is chosen. The score
is 4 of 7 points, 57.1 %, where counting every question alike would give 75 %.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import artifact_path, serious_accessibility_problems, sign_in
from partners.models import BusinessPartner
from portal.testing import add_member, make_company, make_user
from questionnaires.models import Questionnaire, Status

QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "gate-log",
        "type": "yes_no",
        "criterion": "9.4",
        "weight": "3",
        "en": "Do you log every vehicle at the gate?",
        "es": "¿Registra cada vehículo en el acceso?",
    },
    {
        "id": "gate-why",
        "type": "text",
        "weight": "0",
        "en": "If not, explain why.",
        "es": "Si no, explique por qué.",
        "show_if_question": "gate-log",
        "show_if_answers": "no",
    },
    {
        "id": "seals",
        "type": "multiple",
        "criterion": "6.2",
        "weight": "2",
        "en": "Which seals do you use?",
        "es": "¿Qué sellos usa?",
        "choices": "iso | 1 | ISO 17712 high-security | Alta seguridad ISO 17712\n"
        "plastic | 0.25 | Plastic | Plástico",
    },
    {
        "id": "last-audit",
        "type": "date",
        "weight": "1",
        "en": "Date of your last security audit?",
        "es": "¿Fecha de su última auditoría de seguridad?",
    },
    {
        "id": "guards",
        "type": "number",
        "weight": "1",
        "en": "Guards per shift?",
        "es": "¿Guardias por turno?",
    },
]


def add_question(page: Page, question: dict[str, Any]) -> None:
    form = page.get_by_test_id("question-form")
    form.get_by_label("ID").fill(question["id"])
    form.get_by_label("Type").select_option(question["type"])
    form.get_by_label("Question (English)").fill(question["en"])
    form.get_by_label("Question (Spanish)").fill(question["es"])
    form.get_by_label("MSC criterion it backs").fill(question.get("criterion", ""))
    form.get_by_label("Weight").fill(question["weight"])
    required = form.get_by_label("An answer is required")
    required.set_checked(question.get("required", True))
    if "choices" in question:
        form.get_by_label("Answers (single or multiple choice)").fill(question["choices"])
    if "show_if_question" in question:
        form.get_by_label("Ask only if question").select_option(question["show_if_question"])
        form.get_by_label("was answered").fill(question["show_if_answers"])
    form.get_by_role("button", name="Add the question").click()
    expect(page.locator(".messages")).to_contain_text("Question saved in the draft")
    expect(page.get_by_test_id(f"row-{question['id']}")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_member_builds_sends_and_partner_answers_on_a_phone(
    browser: Browser, live_server: Any
) -> None:
    company = make_company("Acme Imports LLC")
    member = make_user("compliance@acme.test")
    add_member(company, member, "user")
    partner = BusinessPartner.objects.create(
        company=company,
        name="Bodega Sur",
        role="warehouse",
        country="MX",
        contact_email="seguridad@bodegasur.test",
    )

    desk = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    desk.set_default_timeout(15_000)
    page = desk.new_page()
    try:
        sign_in(page, "compliance@acme.test")
        page.goto(f"/companies/{company.pk}/questionnaires/")
        page.get_by_test_id("question-sets").click()
        expect(page.get_by_test_id("shipped-sets")).to_contain_text("Warehouse")
        page.screenshot(path=artifact_path("question-sets.png"), full_page=True)
        assert serious_accessibility_problems(page) == []
        new = page.get_by_test_id("new-set")
        new.get_by_label("Key").fill("gate-security")
        new.get_by_label("Title (English)").fill("Gate security")
        new.get_by_label("Title (Spanish)").fill("Seguridad de accesos")
        new.get_by_role("button", name="Create the set").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Gate security")
        for question in QUESTIONS:
            add_question(page, question)
        page.get_by_test_id("publish").click()
        expect(page.locator(".messages")).to_contain_text("Version 1 published")
        page.get_by_test_id("questions").scroll_into_view_if_needed()
        page.screenshot(path=artifact_path("question-builder.png"), full_page=True)
        assert serious_accessibility_problems(page) == []

        page.goto(f"/companies/{company.pk}/questionnaires/partner/{partner.pk}/")
        page.get_by_label("Question set").select_option(label="Gate security (v1)")
        assert serious_accessibility_problems(page) == []
        page.locator("#id_language").select_option("es")
        page.get_by_test_id("send").click()
        message = page.locator(".messages")
        expect(message).to_contain_text("Questionnaire sent")
        link = re.search(r"/q/[\w-]+/", message.inner_text())
        assert link is not None
    finally:
        desk.close()

    phone = browser.new_context(
        base_url=live_server.url,
        locale="es-MX",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    phone.set_default_timeout(15_000)
    page = phone.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(link.group(0))
        expect(page.get_by_role("heading", level=1)).to_have_text("Seguridad de accesos")
        follow_up = page.get_by_test_id("question-gate-why")
        expect(follow_up).to_be_hidden()  # the script hides it until "No" is chosen
        page.get_by_label("Su nombre").fill("Ana Ruiz")
        page.get_by_test_id("question-gate-log").get_by_label("No", exact=True).check()
        expect(follow_up).to_be_visible()
        follow_up.locator("textarea[name=answer-gate-why]").fill(
            "La caseta no tiene guardia de noche"
        )
        seals = page.get_by_test_id("question-seals")
        seals.get_by_label("Alta seguridad ISO 17712").check()
        seals.get_by_label("Plástico").check()
        page.locator("input[name=answer-last-audit]").fill("2026-10-15")
        page.locator("input[name=answer-guards]").fill("3")
        follow_up.scroll_into_view_if_needed()
        page.screenshot(path=artifact_path("question-builder-partner-phone-es.png"))
        assert serious_accessibility_problems(page) == []
        page.get_by_role("button", name="Enviar", exact=True).click()
        expect(page.get_by_test_id("submitted")).to_contain_text("Enviado por Ana Ruiz")
    finally:
        phone.close()

    questionnaire = Questionnaire.objects.get(partner=partner)
    assert questionnaire.status == Status.SUBMITTED
    assert questionnaire.template_version == "1"

    desk = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    desk.set_default_timeout(15_000)
    page = desk.new_page()
    try:
        sign_in(page, "compliance@acme.test")
        page.goto(questionnaire.get_absolute_url())
        # No on the weight-3 question: 4 of 7 points. Unweighted it would be 3 of 4 (75 %).
        expect(page.get_by_test_id("score")).to_contain_text("57.1 %")
        expect(page.get_by_test_id("set-version")).to_contain_text("version 1")
        expect(page.get_by_test_id("answers")).to_contain_text(
            "La caseta no tiene guardia de noche"
        )
        page.screenshot(path=artifact_path("question-builder-score.png"), full_page=True)
        assert serious_accessibility_problems(page) == []
    finally:
        desk.close()
