"""A partner answers a security questionnaire in Spanish from its link; the member sees
the score and the corrective actions.

The warehouse's security manager opens the e-mailed link in a Spanish browser (no
account), answers, attaches the fence inspection report, saves, comes back and submits.
The importer's compliance user, signed in, then sees the weighted score and the
corrective action raised by the one weak answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from actions.models import CorrectiveAction
from companies.models import Company, Membership
from e2e.conftest import (
    artifact_path,
    docs_screenshot,
    serious_accessibility_problems,
    sign_in,
)
from partners.models import BusinessPartner
from portal.testing import add_member, make_company, make_user
from questionnaires import workflow
from questionnaires.models import AnswerEvidence, Status
from questionnaires.question_sets import bank

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_partner_answers_in_spanish_and_member_sees_score(
    browser: Browser, live_server: Any
) -> None:
    from accounts.models import User

    member = User.objects.create_user("compliance@acme.test", "Cumplimiento-2026")
    company = Company.objects.create(
        legal_name="Acme Imports LLC", business_type="importer", country="US"
    )
    Membership.objects.create(company=company, user=member, role="user")
    partner = BusinessPartner.objects.create(
        company=company,
        name="Bodega Sur",
        role="warehouse",
        country="MX",
        contact_email="seguridad@bodegasur.test",
    )
    questionnaire, token = workflow.send(
        partner, contact_email="seguridad@bodegasur.test", sent_by=member
    )
    questions = bank().sets[questionnaire.template_key].questions

    partner_side = browser.new_context(
        base_url=live_server.url, locale="es-MX", viewport={"width": 1280, "height": 900}
    )
    partner_side.set_default_timeout(10_000)
    page = partner_side.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(f"/q/{token}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Cuestionario de seguridad para almacenes"
        )
        page.get_by_label("Su nombre").fill("Ana Ruiz")
        for question in questions[:10]:
            block = page.get_by_test_id(f"question-{question.id}")
            block.get_by_label("Sí", exact=True).check()
        gates = page.get_by_test_id("question-gates")
        gates.get_by_label("No", exact=True).check()
        gates.get_by_placeholder("Comentario (opcional)").fill("La puerta trasera no tiene guardia")
        page.get_by_test_id("question-perimeter").locator("input[type=file]").set_input_files(
            {"name": "inspeccion-cerca.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.get_by_role("button", name="Guardar y continuar después").click()
        expect(page.locator(".messages")).to_contain_text("Guardado")
        expect(page.get_by_test_id("progress")).to_contain_text("10 de 20")
        expect(page.get_by_test_id("question-perimeter")).to_contain_text("inspeccion-cerca.pdf")

        # Later, the same link: the answers are there; the rest is answered and submitted.
        page.goto(f"/q/{token}/")
        expect(gates.get_by_label("No", exact=True)).to_be_checked()
        # The saved answers with who gave them, the attached report and the weak answer.
        page.get_by_test_id("question-cargo-reconciliation").scroll_into_view_if_needed()
        page.evaluate(
            "window.scrollBy(0, document.querySelector('#q-cargo-reconciliation')"
            ".getBoundingClientRect().top)"
        )
        page.screenshot(path=docs_screenshot("partner-questionnaire-es.png"))
        for question in questions[10:]:
            block = page.get_by_test_id(f"question-{question.id}")
            block.get_by_label("Sí", exact=True).check()
        page.get_by_role("button", name="Enviar", exact=True).click()
        expect(page.get_by_test_id("submitted")).to_contain_text("Enviado por Ana Ruiz")
    finally:
        partner_side.close()

    questionnaire.refresh_from_db()
    assert questionnaire.status == Status.SUBMITTED
    assert AnswerEvidence.objects.get().original_name == "inspeccion-cerca.pdf"
    action = CorrectiveAction.objects.get(company=company)
    assert action.criterion_ref == "9.4"

    client = Client()
    client.force_login(member)
    member_side = browser.new_context(base_url=live_server.url, locale="en-US")
    member_side.set_default_timeout(10_000)
    member_side.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = member_side.new_page()
    try:
        page.goto(f"/companies/{company.pk}/partners/{partner.pk}/")
        expect(page.get_by_test_id("questionnaire-summary")).to_contain_text("94.7 %")
        page.get_by_role("link", name="Questionnaires").click()
        page.get_by_role("link", name=questionnaire.sent_at.strftime("%Y-%m-%d")).click()
        # Warehouse set: 18 Must (weight 2) and 2 Should (weight 1); one Must answered No.
        expect(page.get_by_test_id("score")).to_contain_text("94.7 %")
        expect(page.get_by_test_id("band")).to_have_text("Strong")
        expect(page.get_by_test_id("weak-count")).to_have_text("1")
        page.get_by_test_id("action").click()
        expect(page.locator("main")).to_contain_text("Bodega Sur")
        expect(page.locator("main")).to_contain_text("9.4")

        # The answers wait on the member who sent it: a task until marked reviewed.
        page.get_by_test_id("header-tasks").click()
        task = page.get_by_role("link", name="Questionnaire to review: Bodega Sur")
        task.click()
        expect(page.get_by_test_id("review-state")).to_contain_text("task list")
        page.get_by_test_id("mark-reviewed").click()
        expect(page.locator(".messages")).to_contain_text("Marked as reviewed.")
        expect(page.get_by_test_id("review-state")).to_contain_text("compliance@acme.test")
        page.screenshot(path=artifact_path("questionnaire-reviewed.png"), full_page=True)
        assert serious_accessibility_problems(page) == []
        page.goto("/me/tasks/")
        expect(page.get_by_role("link", name="Questionnaire to review: Bodega Sur")).to_have_count(
            0
        )
    finally:
        member_side.close()


@pytest.mark.django_db(transaction=True)
def test_a_member_sends_a_new_link_for_an_unanswered_questionnaire(
    page: Page, live_server: Any, broken: list[str]
) -> None:
    """The link buttons of a sent questionnaire sit in one row under its details."""
    company = make_company("Acme Imports LLC")
    member = make_user("compliance@acme.test")
    add_member(company, member, "admin")
    partner = BusinessPartner.objects.create(
        company=company, name="Bodega Sur", role="warehouse", country="MX"
    )
    questionnaire, _token = workflow.send(
        partner, contact_email="seguridad@bodegasur.test", sent_by=member
    )
    sign_in(page, "compliance@acme.test")
    page.goto(f"/companies/{company.pk}/questionnaires/{questionnaire.pk}/")
    revoke, relink = page.get_by_test_id("revoke"), page.get_by_test_id("relink")
    expect(revoke).to_be_visible()
    expect(relink).to_be_visible()
    left, right = revoke.bounding_box(), relink.bounding_box()
    assert left is not None and right is not None and left["y"] == right["y"]
    page.screenshot(path=artifact_path("questionnaire-links.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    relink.click()
    expect(page.locator(".messages")).to_contain_text("seguridad@bodegasur.test")
    assert broken == []
